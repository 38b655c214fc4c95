import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a build into a staging folder beside the output folder and swaps it in whole, so
/// that a failed or killed build leaves the previous output exactly as it was.
public struct OutputFolder: Sendable {
    public let url: URL
    public let staging: URL
    let retired: URL

    public init(_ url: URL) {
        self.url = url.standardizedFileURL
        let parent = self.url.deletingLastPathComponent()
        let name = self.url.lastPathComponent
        staging = parent.appendingPathComponent(".\(name).monarch-staging")
        retired = parent.appendingPathComponent(".\(name).monarch-previous")
    }

    /// Removes what an interrupted build left behind and starts an empty staging folder.
    public func begin() throws {
        try restore()
        try? FileManager.default.removeItem(at: staging)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
    }

    /// Removes what an interrupted build left behind, for a build that writes nothing.
    public func removeLeftovers() {
        try? restore()
        try? FileManager.default.removeItem(at: staging)
    }

    private func restore() throws {
        let fm = FileManager.default
        // A build killed between the two renames of a non-atomic swap: the previous output
        // is in `retired`; put it back.
        if !fm.fileExists(atPath: url.path), fm.fileExists(atPath: retired.path) {
            try fm.moveItem(at: retired, to: url)
        }
        try? fm.removeItem(at: retired)
    }

    /// Writes every file and copy into the staging folder: all folders first, in one pass,
    /// then the files on every core. Throws the first failure.
    public func write(files: [(path: String, data: Data)], copies: [(path: String, source: URL)]) throws {
        var folders = Set<String>()
        for path in files.map(\.path) + copies.map(\.path) {
            var folder = (path as NSString).deletingLastPathComponent
            while !folder.isEmpty, folders.insert(folder).inserted {
                folder = (folder as NSString).deletingLastPathComponent
            }
        }
        // Sorted, a parent comes before its children.
        for folder in folders.sorted() {
            if mkdir(staging.appendingPathComponent(folder).path, 0o755) != 0, errno != EEXIST {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: folder])
            }
        }
        let staging = self.staging
        let failures = ParallelMap.map(files.map { OutputFile(path: $0.path, data: $0.data) }) { file -> String? in
            Self.writeFile(file.data, to: staging.appendingPathComponent(file.path).path)
                .map { "\(file.path): \($0)" }
        }
        if let failure = failures.compactMap({ $0 }).first {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: failure])
        }
        for copy in copies {
            let target = staging.appendingPathComponent(copy.path)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: copy.source.resolvingSymlinksInPath(), to: target)
        }
    }

    /// Replaces the output folder with the staging folder: one atomic exchange where the
    /// kernel has it (Linux renameat2), else two renames that `begin()` can repair.
    public func commit() throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: url.path) {
            if Self.exchange(staging.path, url.path) {
                Self.removeTree(staging)
                return
            }
            try fm.moveItem(at: url, to: retired)
            try fm.moveItem(at: staging, to: url)
            try fm.removeItem(at: retired)
        } else {
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.moveItem(at: staging, to: url)
        }
    }

    /// Throws the staging folder away (a failed build).
    public func abandon() {
        try? FileManager.default.removeItem(at: staging)
    }

    /// Writes a file with plain POSIX calls. Foundation's `Data.write` fsyncs every file, which
    /// made writing 5,000 pages take seconds; the staging swap already protects against a
    /// killed build, and nothing here needs to survive a power cut before the OS flushes.
    static func writeFile(_ data: Data, to path: String) -> String? {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        return data.withUnsafeBytes { buffer -> String? in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += written
            }
            return nil
        }
    }

    /// Removes a folder, its top-level entries on every core (a previous output of thousands
    /// of pages takes a while to delete).
    static func removeTree(_ folder: URL) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        _ = ParallelMap.map(entries) { entry -> Bool in
            (try? FileManager.default.removeItem(at: folder.appendingPathComponent(entry))) != nil
        }
        try? FileManager.default.removeItem(at: folder)
    }

    static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
        // glibc has renameat2 since 2.28, but Swift's Glibc module does not import it.
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(nil, "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let RENAME_EXCHANGE: UInt32 = 1 << 1
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0
        #else
        return false
        #endif
    }
}

private struct OutputFile: Sendable {
    let path: String
    let data: Data
}
