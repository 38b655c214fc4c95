import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One good build of the site, whole, in memory: every output file by its output path
/// (`en/police/stop/index.html`, `assets/monarch.css`). The preview serves from it and never
/// from a folder that a build may be replacing.
///
/// A copied file over `largeFileSize` (a video beside a page) is not held: the snapshot keeps
/// its source path and stamp, and the preview streams it from there, so that memory stays
/// bounded whatever the site holds.
public struct SiteSnapshot: Sendable {
    public let files: [String: Data]
    public let large: [String: LargeFile]

    public static let largeFileSize = 16 << 20

    public struct LargeFile: Sendable, Equatable {
        public let source: URL
        /// Size, modification and change times and inode: what tells a rebuild it changed.
        public let stamp: String
    }

    public init(files: [String: Data], large: [String: LargeFile] = [:]) {
        self.files = files
        self.large = large
    }

    /// The large-file entry for a copy at `source`, or nil when it is small enough to hold.
    static func largeFile(_ source: URL) -> LargeFile? {
        var info = stat()
        guard stat(source.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) > largeFileSize else { return nil }
        return LargeFile(source: source, stamp: "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec) \(info.st_ino)")
    }

    /// Reads a built output folder into memory, hidden files skipped as `FileList` does.
    /// Plain `readdir` and `read`: Foundation's enumerator took 15-25 ms for the example
    /// site's 89 files, this takes a few.
    public static func load(folder: URL) throws -> SiteSnapshot {
        var files: [String: Data] = [:]
        try walk(folder.standardizedFileURL.path, relative: "", into: &files, depth: 0)
        return SiteSnapshot(files: files)
    }

    private static func walk(_ path: String, relative: String, into files: inout [String: Data], depth: Int) throws {
        guard depth < 64, let directory = opendir(path) else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }
            let full = path + "/" + name
            let inner = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard stat(full, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: try walk(full, relative: inner, into: &files, depth: depth + 1)
            case S_IFREG: files[inner] = try contents(full, size: Int(info.st_size))
            default: continue
            }
        }
    }

    private static func contents(_ path: String, size: Int) throws -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        var data = Data(count: size)
        var total = 0
        while total < size {
            let n = data.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, size - total) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            total += n
        }
        if total < size { data.removeSubrange(total...) }
        // A file that grew since stat: read the rest.
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            data.append(contentsOf: chunk[..<n])
        }
        return data
    }

    public subscript(path: String) -> Data? { files[path] }
}

/// What a rebuild changed in the output, by output path, each list sorted.
public struct OutputChanges: Sendable, Equatable, CustomStringConvertible {
    public var added: [String] = []
    public var changed: [String] = []
    public var removed: [String] = []

    public init(added: [String] = [], changed: [String] = [], removed: [String] = []) {
        self.added = added
        self.changed = changed
        self.removed = removed
    }

    /// Compares two builds byte for byte; with no previous build every file is added.
    public init(from old: SiteSnapshot?, to new: SiteSnapshot) {
        let before = old?.files ?? [:]
        for (path, data) in new.files {
            if let previous = before[path] {
                if previous != data { changed.append(path) }
            } else {
                added.append(path)
            }
        }
        removed = before.keys.filter { new.files[$0] == nil }
        let largeBefore = old?.large ?? [:]
        for (path, file) in new.large {
            if let previous = largeBefore[path] {
                if previous != file { changed.append(path) }
            } else if before[path] != nil {
                changed.append(path)
                removed.removeAll { $0 == path }
            } else {
                added.append(path)
            }
        }
        for path in largeBefore.keys where new.large[path] == nil {
            if new.files[path] != nil {
                if !changed.contains(path) { changed.append(path) }
                added.removeAll { $0 == path }
            } else {
                removed.append(path)
            }
        }
        added.sort()
        changed.sort()
        removed.sort()
    }

    /// Every path that differs, sorted.
    public var all: [String] { (added + changed + removed).sorted() }
    public var isEmpty: Bool { added.isEmpty && changed.isEmpty && removed.isEmpty }
    public var count: Int { added.count + changed.count + removed.count }

    public var description: String {
        var parts: [String] = []
        if !changed.isEmpty { parts.append("changed \(changed.joined(separator: ", "))") }
        if !added.isEmpty { parts.append("added \(added.joined(separator: ", "))") }
        if !removed.isEmpty { parts.append("removed \(removed.joined(separator: ", "))") }
        return parts.isEmpty ? "nothing changed" : parts.joined(separator: "; ")
    }
}
