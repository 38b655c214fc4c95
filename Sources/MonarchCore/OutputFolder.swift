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

    /// Repairs what an interrupted swap left behind and readies the staging folder. The
    /// staging folder is the output before last (the previous build swapped it out), or what a
    /// killed build left there: `write` reuses its files and makes it exactly the new output,
    /// which costs far less than creating thousands of files and folders anew and deleting the
    /// old ones. Anything at the staging path that is not a plain folder is removed first, so
    /// a link there can never lead a build to write elsewhere.
    public func begin() throws {
        try restore()
        var info = stat()
        if lstat(staging.path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR {
            try FileManager.default.removeItem(at: staging)
        }
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
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

    /// Makes the staging folder exactly the new output: every file and copy with its bytes
    /// (mode 0644), every folder they need, and nothing else. A file already there with the
    /// same bytes is kept; anything not in the new output (files, folders, links, hidden
    /// files) is removed. Files are compared and written on every core. Throws the first
    /// failure.
    public func write(files: [(path: String, data: Data)], copies: [(path: String, source: URL)]) throws {
        var wanted: [String: OutputFile] = [:]
        for file in files { wanted[file.path] = OutputFile(path: file.path, data: file.data, source: nil) }
        for copy in copies { wanted[copy.path] = OutputFile(path: copy.path, data: nil, source: copy.source) }
        var folders = Set<String>()
        for path in wanted.keys {
            var folder = (path as NSString).deletingLastPathComponent
            while !folder.isEmpty, folders.insert(folder).inserted {
                folder = (folder as NSString).deletingLastPathComponent
            }
        }
        // What is there already: regular files that may be kept; everything else goes.
        var found: [String: (size: Int, mode: mode_t)] = [:]
        try Self.prune(staging.path, relative: "", keepFolders: folders, keepFiles: wanted, found: &found)
        // Level by level, so that a parent comes before its children, each level on every core:
        // creating a folder is the costliest call of a build into a fresh output (20,000 of
        // them at 5 x 4000 pages), and one thread making them all left the other core idle.
        let stagingPath = staging.path + "/"
        var levels: [[String]] = []
        for folder in folders {
            let depth = folder.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) }
            while levels.count <= depth { levels.append([]) }
            levels[depth].append(folder)
        }
        for level in levels {
            let failed = ParallelMap.map(level) { folder -> String? in
                mkdir(stagingPath + folder, 0o755) != 0 && errno != EEXIST ? folder : nil
            }
            if let folder = failed.compactMap({ $0 }).first {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: folder])
            }
        }
        let existing = found
        let failures = ParallelMap.map(wanted.values.sorted { $0.path < $1.path }) { file -> String? in
            // Not URL.appendingPathComponent: it stats the path to learn whether it is a folder.
            let path = stagingPath + file.path
            let data: Data
            if let bytes = file.data {
                data = bytes
            } else {
                guard let source = file.source, let bytes = try? Data(contentsOf: source.resolvingSymlinksInPath()) else {
                    return "\(file.path): cannot read \(file.source?.path ?? "its source")"
                }
                data = bytes
            }
            if let old = existing[file.path], old.size == data.count, Self.contents(of: path, equal: data) {
                if old.mode & 0o7777 != 0o644, chmod(path, 0o644) != 0 { return "\(file.path): \(String(cString: strerror(errno)))" }
                return nil
            }
            if let failure = Self.writeFile(data, to: path) { return "\(file.path): \(failure)" }
            if existing[file.path].map({ $0.mode & 0o7777 != 0o644 }) == true, chmod(path, 0o644) != 0 {
                return "\(file.path): \(String(cString: strerror(errno)))"
            }
            return nil
        }
        if let failure = failures.compactMap({ $0 }).first {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: failure])
        }
    }

    /// Walks `path` (never through a link) and removes whatever is not a folder in
    /// `keepFolders` or a regular file in `keepFiles`; records the regular files kept.
    private static func prune(_ path: String, relative: String, keepFolders: Set<String>, keepFiles: [String: OutputFile],
                              found: inout [String: (size: Int, mode: mode_t)]) throws {
        guard let directory = opendir(path) else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        var entries: [(name: String, info: stat)] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            var info = stat()
            if lstat(path + "/" + name, &info) == 0 { entries.append((name, info)) }
        }
        closedir(directory)
        for (name, info) in entries {
            let full = path + "/" + name
            let inner = relative.isEmpty ? name : relative + "/" + name
            switch info.st_mode & S_IFMT {
            case S_IFDIR where keepFolders.contains(inner):
                try prune(full, relative: inner, keepFolders: keepFolders, keepFiles: keepFiles, found: &found)
            case S_IFDIR:
                removeTree(URL(fileURLWithPath: full))
            case S_IFREG where keepFiles[inner] != nil:
                found[inner] = (Int(info.st_size), info.st_mode)
            default:
                if unlink(full) != 0, errno != ENOENT {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: full])
                }
            }
        }
    }

    /// Whether the file at `path` holds exactly `data`.
    private static func contents(of path: String, equal data: Data) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: data.count + 1)
        var total = 0
        while total < buffer.count {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, $0.count - total) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            total += n
        }
        guard total == data.count else { return false }
        return data.withUnsafeBytes { raw in memcmp(raw.baseAddress!, buffer, data.count) == 0 }
    }

    /// Replaces the output folder with the staging folder: one atomic exchange where the
    /// kernel has it (Linux renameat2), else two renames that `begin()` can repair.
    public func commit() throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: url.path) {
            // The previous output stays in the staging folder: the next build reuses it.
            if Self.exchange(staging.path, url.path) { return }
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
    let data: Data?
    let source: URL?
}
