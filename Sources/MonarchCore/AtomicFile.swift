import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a whole file at once: the bytes go to a temporary file beside it, which is then
/// renamed over it, so that a reader (another build, a browser, an unzipper) sees the old file
/// or the new one, never half of one, and a killed writer leaves the old file as it was.
public enum AtomicFile {
    public struct Failure: Error, LocalizedError, CustomStringConvertible {
        public var description: String
        public var errorDescription: String? { description }
    }

    /// Writes `data` as the file at `path` (mode `mode`, whatever the umask).
    public static func write(_ data: Data, to path: String, mode: mode_t = 0o644) throws {
        try write(to: path, mode: mode) { fd in
            if let failure = PlainFile.writeAll(data, to: fd) { throw Failure(description: "\(path): \(failure)") }
        }
    }

    /// Writes the file at `path` with `fill`, which writes to the open temporary file as it
    /// goes (a large archive is never held whole in memory). What `fill` throws is passed on,
    /// and the temporary file removed.
    public static func write(to path: String, mode: mode_t = 0o644, _ fill: (Int32) throws -> Void) throws {
        let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        // Ends in `.tmp`: the font cache removes such leftovers of a killed writer.
        let temporary = folder + ".\(name).\(getpid())-\(UUID().uuidString).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw Failure(description: "\(path): \(String(cString: strerror(errno)))") }
        do {
            fchmod(fd, mode)
            try fill(fd)
            close(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(description: "\(path): \(reason)")
        }
    }

    /// The permission bits of the file at `path`, or `fallback` when there is none: an edit
    /// of a person's own file keeps the mode they gave it.
    public static func mode(of path: String, fallback: mode_t = 0o644) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : fallback
    }
}

/// Plain POSIX writes, without Foundation's `Data.write` (which fsyncs every file: writing
/// 5,000 pages took seconds).
public enum PlainFile {
    /// Writes all of `bytes` to `fd`, again after an interrupted or short write; the failure
    /// as text, or nil.
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32) -> String? {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            offset += written
        }
        return nil
    }

    public static func writeAll(_ data: Data, to fd: Int32) -> String? {
        data.withUnsafeBytes { writeAll($0, to: fd) }
    }
}
