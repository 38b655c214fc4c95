import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Watches a site's sources by polling: every file under `content/`, `templates/`,
/// `translations/`, `static/` and `site.yaml` itself, each with its size, modification and
/// change times and inode (an editor that saves by renaming a new file over the old one
/// changes the inode); a symbolic link also by its own inode and change time, so that a
/// link whose target does not exist is seen coming and going. Hidden files (`.stop.md.swp`)
/// are skipped, as the build skips them.
/// One scan of the example site (about 100 files) is a few hundred `stat` calls: polling it
/// every 50 ms costs nothing measurable and works on every file system. On Linux, `Wake`
/// (inotify) cuts the wait: a save wakes the watcher at once instead of at the next poll.
public struct SourceWatcher: Sendable {
    public static let watched = ["site.yaml", "content", "templates", "translations", "static"]

    public let siteFolder: URL

    public init(siteFolder: URL) {
        self.siteFolder = siteFolder.standardizedFileURL
    }

    public struct Stamp: Equatable, Sendable {
        var size: Int64
        var modified: Int64   // nanoseconds
        var changed: Int64    // nanoseconds
        var inode: UInt64
        /// For a symbolic link, the link itself (`lstat`, `readlink`), so that adding,
        /// removing or retargeting a link shows even when its target does not exist; the
        /// other fields are then the target's, or zero for a dangling link.
        var link: Link? = nil

        struct Link: Equatable, Sendable {
            var inode: UInt64
            var changed: Int64
            /// Where it points: a link replaced within one clock tick may reuse the inode.
            var target: String
        }
    }

    /// Every watched file (path relative to the site folder) and its stamp.
    public typealias Fingerprint = [String: Stamp]

    public func scan() -> Fingerprint {
        var folders: [String: UInt64] = [:]
        return scan(folders: &folders)
    }

    /// Also collects every watched folder (absolute path -> inode), the site folder included.
    public func scan(folders: inout [String: UInt64]) -> Fingerprint {
        var result: Fingerprint = [:]
        let base = siteFolder.path
        var info = stat()
        if stat(base, &info) == 0 { folders[base] = UInt64(info.st_ino) }
        for name in Self.watched {
            visit(base + "/" + name, relative: name, depth: 0, into: &result, folders: &folders)
        }
        return result
    }

    /// The paths that differ between two scans, sorted.
    public static func differences(_ a: Fingerprint, _ b: Fingerprint) -> [String] {
        Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
    }

    private func visit(_ path: String, relative: String, depth: Int, into result: inout Fingerprint,
                       folders: inout [String: UInt64]) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        var link: Stamp.Link?
        if info.st_mode & S_IFMT == S_IFLNK {
            link = Stamp.Link(inode: UInt64(info.st_ino), changed: Self.stamp(info).changed, target: Self.target(path))
            guard stat(path, &info) == 0 else {
                // A dangling link is still a source the build sees (and reports).
                result[relative] = Stamp(size: 0, modified: 0, changed: 0, inode: 0, link: link)
                return
            }
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFREG || (link != nil && kind != S_IFDIR) {
            var stamp = Self.stamp(info)
            stamp.link = link
            result[relative] = stamp
            return
        }
        if let link {
            // A link to a folder: the link itself, then what it holds.
            result[relative] = Stamp(size: 0, modified: 0, changed: 0, inode: UInt64(info.st_ino), link: link)
        }
        guard kind == S_IFDIR, depth < 32, let directory = opendir(path) else { return }
        defer { closedir(directory) }
        folders[path] = UInt64(info.st_ino)
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }
            visit(path + "/" + name, relative: relative + "/" + name, depth: depth + 1, into: &result, folders: &folders)
        }
    }

    private static func target(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return "" }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func stamp(_ info: stat) -> Stamp {
        #if canImport(Darwin)
        let m = info.st_mtimespec, c = info.st_ctimespec
        #else
        let m = info.st_mtim, c = info.st_ctim
        #endif
        return Stamp(size: Int64(info.st_size),
                     modified: Int64(m.tv_sec) * 1_000_000_000 + Int64(m.tv_nsec),
                     changed: Int64(c.tv_sec) * 1_000_000_000 + Int64(c.tv_nsec),
                     inode: UInt64(info.st_ino))
    }
}

#if os(Linux)
extension SourceWatcher {
    /// Wakes the watcher as soon as a file in a watched folder is closed after writing,
    /// renamed into place, created, deleted or touched, instead of at the next poll. It only
    /// says "look now": the scan that follows decides what changed, so an event inotify
    /// misses (a full watch table, a network file system) still shows at the next poll.
    /// Writes still in progress (IN_MODIFY) do not wake it: a save is seen once it is closed.
    final class Wake {
        private let fd: Int32
        private var watches: [String: (inode: UInt64, descriptor: Int32)] = [:]
        private var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        private static let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE
                                         | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

        init?() {
            fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            if fd < 0 { return nil }
        }

        deinit { close(fd) }

        /// Watches exactly these folders (path -> inode): new ones are added, gone ones
        /// dropped, a folder replaced by another of the same name watched again.
        func watch(_ folders: [String: UInt64]) {
            for (path, watch) in watches where folders[path] != watch.inode {
                inotify_rm_watch(fd, watch.descriptor)
                watches[path] = nil
            }
            for (path, inode) in folders where watches[path] == nil {
                let descriptor = inotify_add_watch(fd, path, Self.mask)
                if descriptor >= 0 { watches[path] = (inode, descriptor) }
            }
        }

        /// Waits up to `seconds` for an event; true when one came (they are all read).
        func wait(_ seconds: Double) -> Bool {
            var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&request, 1, Int32(max(1, seconds * 1000))) > 0 else { return false }
            while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
            return true
        }
    }
}
#endif
