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
    /// a link there can never lead a build to write elsewhere; a folder there that Monarch did
    /// not write (no `OutputGuard` record) is refused, never emptied. The record is written
    /// into the staging folder first of all, so that whatever a killed build leaves there is
    /// still recognised as Monarch's.
    public func begin() throws {
        try restore()
        var info = stat()
        if lstat(staging.path, &info) == 0 {
            if info.st_mode & S_IFMT != S_IFDIR {
                try FileManager.default.removeItem(at: staging)
            } else if !OutputGuard.isOwned(staging.path) {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSLocalizedDescriptionKey:
                    "\(staging.path) holds files that monarch did not write; move them away"])
            }
        }
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        Self.grantReading(staging.path, folder: true)
        let record = staging.path + "/" + OutputGuard.recordName
        if let failure = Self.writeFile(OutputGuard.recordText, to: record, replacing: true) {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(record): \(failure)"])
        }
    }

    private func restore() throws {
        let fm = FileManager.default
        // A build killed between the two renames of a non-atomic swap: the previous output
        // is in `retired`; put it back. Only a folder that holds Monarch's record is moved
        // or removed.
        guard fm.fileExists(atPath: retired.path), OutputGuard.isOwned(retired.path) else { return }
        if !fm.fileExists(atPath: url.path) {
            try fm.moveItem(at: retired, to: url)
        }
        try? fm.removeItem(at: retired)
    }

    /// Makes the staging folder exactly the new output: every file and copy with its bytes
    /// (mode 0644), every folder they need, and nothing else. A file already there with the
    /// same bytes is kept; anything not in the new output (files, folders, links, hidden
    /// files) is removed. Files are compared and written on every core; copies are streamed,
    /// never read whole into memory. Throws the first failure.
    public func write(files: [(path: String, data: Data)], copies: [(path: String, source: URL)]) throws {
        var wanted: [String: OutputFile] = [:]
        for file in files { wanted[file.path] = OutputFile(path: file.path, data: file.data, source: nil) }
        for copy in copies { wanted[copy.path] = OutputFile(path: copy.path, data: nil, source: copy.source) }
        try fill(wanted) { file, path, old in
            if let bytes = file.data {
                if let old, old.size == bytes.count, Self.contents(of: path, equal: bytes) { return Self.keep(path, old) }
                return Self.writeFile(bytes, to: path, replacing: old != nil)
            }
            guard let source = file.source else { return nil }
            return Self.copy(source.path, to: path, old: old)
        }
    }

    /// A whole build: `begin`, `write` and `commit`, or the staging folder thrown away when
    /// any of them fails (the previous output stays as it was).
    public func publish(files: [(path: String, data: Data)], copies: [(path: String, source: URL)]) throws {
        try begin()
        do {
            try write(files: files, copies: copies)
            try commit()
        } catch {
            abandon()
            throw error
        }
    }

    /// Makes the staging folder the current output with `files` replaced, every other file a
    /// hard link to the output's own (no bytes copied), and swaps it in: a quick rebuild that,
    /// like a full one, leaves either the old output or the new one whole, whenever it stops.
    /// `paths` is every file of the current output.
    public func replace(_ files: [(path: String, data: Data)], in paths: [String]) throws {
        var wanted: [String: OutputFile] = [:]
        for path in paths { wanted[path] = OutputFile(path: path, data: nil, source: url.appendingPathComponent(path)) }
        for file in files { wanted[file.path] = OutputFile(path: file.path, data: file.data, source: nil) }
        let outputPath = url.path + "/"
        try fill(wanted) { file, path, old in
            if let bytes = file.data { return Self.writeFile(bytes, to: path, replacing: old != nil) }
            var info = stat()
            guard lstat(outputPath + file.path, &info) == 0 else { return String(cString: strerror(errno)) }
            if let old, old.inode == info.st_ino { return nil }
            if old != nil, unlink(path) != 0, errno != ENOENT { return String(cString: strerror(errno)) }
            return link(outputPath + file.path, path) == 0 ? nil : String(cString: strerror(errno))
        }
        try commit()
    }

    /// Makes the staging folder hold exactly `wanted` and the record: removes everything else
    /// (never through a link), creates the folders, then calls `make(file, its path in the
    /// staging folder, the regular file already there)` for each file on every core, which
    /// returns a failure or nil. Throws the first failure.
    private func fill(_ wanted: [String: OutputFile], make: @Sendable (OutputFile, String, Found?) -> String?) throws {
        var wanted = wanted
        wanted[OutputGuard.recordName] = OutputFile(path: OutputGuard.recordName, data: OutputGuard.recordText, source: nil)
        let folders = Self.folders(of: wanted.keys)
        var found: [String: Found] = [:]
        var kept = Set<String>()
        try Self.prune(staging.path, relative: "", keepFolders: folders, keepFiles: wanted, found: &found, kept: &kept)
        try makeFolders(folders.subtracting(kept))
        // Not URL.appendingPathComponent: it stats the path to learn whether it is a folder.
        let stagingPath = staging.path + "/"
        let existing = found
        let failures = ParallelMap.map(wanted.values.sorted { $0.path < $1.path }) { file -> String? in
            make(file, stagingPath + file.path, existing[file.path]).map { "\(file.path): \($0)" }
        }
        if let failure = failures.compactMap({ $0 }).first {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: failure])
        }
    }

    /// Every folder the given file paths need, without the output's own.
    private static func folders(of paths: some Sequence<String>) -> Set<String> {
        var folders = Set<String>()
        for path in paths {
            var folder = parent(of: path)
            while !folder.isEmpty, folders.insert(folder).inserted {
                folder = parent(of: folder)
            }
        }
        return folders
    }

    /// `a/b` for `a/b/c`, `` for `c`. (NSString's `deletingLastPathComponent` traps on some
    /// one-character paths in this Foundation.)
    static func parent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(path[..<slash])
    }

    /// Creates `folders` in the staging folder level by level, so that a parent comes before
    /// its children, each level on every core: creating a folder is the costliest call of a
    /// build into a fresh output (20,000 of them at 5 x 4000 pages), and one thread making them
    /// all left the other core idle.
    private func makeFolders(_ folders: Set<String>) throws {
        let stagingPath = staging.path + "/"
        var levels: [[String]] = []
        for folder in folders {
            let depth = folder.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) }
            while levels.count <= depth { levels.append([]) }
            levels[depth].append(folder)
        }
        for level in levels {
            let failed = ParallelMap.map(level) { folder -> String? in
                if mkdir(stagingPath + folder, 0o755) != 0 { return errno == EEXIST ? nil : folder }
                Self.grantReading(stagingPath + folder, folder: true)
                return nil
            }
            if let folder = failed.compactMap({ $0 }).first {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: folder])
            }
        }
    }

    /// Walks `path` (never through a link) and removes whatever is not a folder in
    /// `keepFolders` or a regular file in `keepFiles`; records the regular files and the
    /// folders kept (which need no `mkdir`).
    private static func prune(_ path: String, relative: String, keepFolders: Set<String>, keepFiles: [String: OutputFile],
                              found: inout [String: Found], kept: inout Set<String>) throws {
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
                kept.insert(inner)
                try prune(full, relative: inner, keepFolders: keepFolders, keepFiles: keepFiles, found: &found, kept: &kept)
            case S_IFDIR:
                removeTree(URL(fileURLWithPath: full))
            case S_IFREG where keepFiles[inner] != nil:
                found[inner] = Found(size: Int(info.st_size), mode: info.st_mode, inode: info.st_ino, links: Int(info.st_nlink))
            default:
                if unlink(full) != 0, errno != ENOENT {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: full])
                }
            }
        }
    }

    /// Keeps a file that already holds the right bytes, with mode 0644. A file that shares its
    /// inode with the live output (a quick rebuild's hard link) is replaced by a copy of its
    /// own rather than changed in place, so that nothing a build does to the staging folder
    /// reaches the output readers see.
    private static func keep(_ path: String, _ old: Found) -> String? {
        guard old.mode & 0o7777 != 0o644 else { return nil }
        if old.links > 1 {
            guard let bytes = FileManager.default.contents(atPath: path) else { return "cannot read it again" }
            return writeFile(bytes, to: path, replacing: true)
        }
        return chmod(path, 0o644) == 0 ? nil : String(cString: strerror(errno))
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

    /// Writes a file into the staging folder with plain POSIX calls (`PlainFile`), not
    /// through a temporary file: the staging swap already protects against a killed build,
    /// and nothing here needs to survive a power cut before the OS flushes.
    /// With `replacing`, the old file is unlinked first rather than truncated: it may be a hard
    /// link into the live output (`replace(_:in:)`).
    static func writeFile(_ data: Data, to path: String, replacing: Bool) -> String? {
        if replacing, unlink(path) != 0, errno != ENOENT { return String(cString: strerror(errno)) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        grantReading(fd)
        return PlainFile.writeAll(data, to: fd)
    }

    /// Copies `source` to `path` in chunks (a video beside a page may be gigabytes), unless
    /// `old` (the file already at `path`) holds the same bytes.
    private static func copy(_ source: String, to path: String, old: Found?) -> String? {
        let input = open(source, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard input >= 0 else { return "cannot read \(source): \(String(cString: strerror(errno)))" }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return "\(source) is not a regular file" }
        if let old, old.size == Int(info.st_size), sameBytes(input, path) {
            return keep(path, old)
        }
        lseek(input, 0, SEEK_SET)
        if old != nil, unlink(path) != 0, errno != ENOENT { return String(cString: strerror(errno)) }
        let output = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard output >= 0 else { return String(cString: strerror(errno)) }
        defer { close(output) }
        grantReading(output)
        let size = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(input, buffer, size)
            if count < 0 { if errno == EINTR { continue }; return String(cString: strerror(errno)) }
            if count == 0 { return nil }
            if let failure = PlainFile.writeAll(UnsafeRawBufferPointer(start: buffer, count: count), to: output) { return failure }
        }
    }

    /// Whether the open file `input` (read from its start) and the file at `path` hold the same
    /// bytes, compared a chunk at a time.
    private static func sameBytes(_ input: Int32, _ path: String) -> Bool {
        let other = open(path, O_RDONLY | O_CLOEXEC)
        guard other >= 0 else { return false }
        defer { close(other) }
        let size = 1 << 18
        let a = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        let b = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { a.deallocate(); b.deallocate() }
        while true {
            let n = readFully(input, a, size)
            let m = readFully(other, b, size)
            guard n == m, n >= 0 else { return false }
            if n == 0 { return true }
            if memcmp(a, b, n) != 0 { return false }
        }
    }

    private static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ size: Int) -> Int {
        var total = 0
        while total < size {
            let n = read(fd, buffer + total, size - total)
            if n < 0, errno == EINTR { continue }
            if n < 0 { return -1 }
            if n == 0 { break }
            total += n
        }
        return total
    }

    /// Whether the file at `path` holds exactly `data`.
    private static func contents(of path: String, equal data: Data) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: data.count + 1)
        let total = buffer.withUnsafeMutableBytes { readFully(fd, $0.baseAddress!, $0.count) }
        guard total == data.count else { return false }
        return data.withUnsafeBytes { raw in data.isEmpty || memcmp(raw.baseAddress!, buffer, data.count) == 0 }
    }

    /// The process's umask, read once: a build run under `umask 077` must still publish files a
    /// web server can read (0644) and folders it can enter (0755).
    private static let umaskBlocksReading: Bool = {
        let mask = umask(0o022)
        umask(mask)
        return mask & 0o055 != 0
    }()

    private static func grantReading(_ fd: Int32) {
        if umaskBlocksReading { fchmod(fd, 0o644) }
    }

    static func grantReading(_ path: String, folder: Bool) {
        if umaskBlocksReading { chmod(path, folder ? 0o755 : 0o644) }
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

/// A regular file found in the staging folder.
private struct Found: Sendable {
    let size: Int
    let mode: mode_t
    let inode: ino_t
    let links: Int
}

private struct OutputFile: Sendable {
    let path: String
    let data: Data?
    let source: URL?
}
