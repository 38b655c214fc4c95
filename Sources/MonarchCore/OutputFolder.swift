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
        let fm = FileManager.default
        // A build killed between the two renames of a non-atomic swap: the previous output
        // is in `retired`; put it back.
        if !fm.fileExists(atPath: url.path), fm.fileExists(atPath: retired.path) {
            try fm.moveItem(at: retired, to: url)
        }
        try? fm.removeItem(at: retired)
        try? fm.removeItem(at: staging)
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
    }

    /// Writes `data` at `relativePath` inside the staging folder, creating folders.
    public func write(_ data: Data, to relativePath: String) throws {
        let target = staging.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try data.write(to: target)
    }

    public func copy(_ source: URL, to relativePath: String) throws {
        let target = staging.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: source.resolvingSymlinksInPath(), to: target)
    }

    /// Replaces the output folder with the staging folder: one atomic exchange where the
    /// kernel has it (Linux renameat2), else two renames that `begin()` can repair.
    public func commit() throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: url.path) {
            if Self.exchange(staging.path, url.path) {
                try fm.removeItem(at: staging)
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
