import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Decides whether a build may replace a folder. A build replaces its output folder whole, so
/// it must only ever replace what an earlier build wrote: Monarch recognises its own output by
/// the record it writes into it (`recordName`), never by guessing from what the folder holds.
public enum OutputGuard {
    /// The record in every folder Monarch writes (the output, its staging folder, the portable
    /// copy). It is published with the site: it says only that the folder is generated.
    public static let recordName = ".monarch-output"
    public static let recordText = Data("This folder was written by `monarch build`, which replaces it whole on every build.\n".utf8)

    /// `url` with every symbolic link in it followed, so that `public -> /var/www/site` is
    /// written through (the swap happens beside the link's target) and never replaced by a
    /// folder of its own. A link whose target does not exist is left as it is: `refusal`
    /// names it.
    public static func resolvingLinks(_ url: URL) -> URL {
        let path = url.standardizedFileURL.path
        if let real = realpath(path, nil) {
            defer { free(real) }
            return URL(fileURLWithPath: String(cString: real))
        }
        // The folder does not exist yet: resolve the deepest part that does.
        let parent = url.standardizedFileURL.deletingLastPathComponent()
        guard parent.path != path, parent.path != "/" || path != "/" else { return url.standardizedFileURL }
        var info = stat()
        if lstat(path, &info) == 0 { return url.standardizedFileURL }   // a dangling link
        return resolvingLinks(parent).appendingPathComponent(url.lastPathComponent)
    }

    /// Why a build must not replace `folder` (a sentence, without the path), or nil when it may.
    /// `site` is the site folder; `role` names the folder in messages ("output folder").
    public static func refusal(folder: URL, site: URL) -> String? {
        let path = folder.path
        var info = stat()
        guard lstat(path, &info) == 0 else { return insideSite(path, site: site) }
        switch info.st_mode & S_IFMT {
        case S_IFLNK:
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
            return "is a link to '\(target)', which does not exist; create that folder, or point the link or --output elsewhere"
        case S_IFDIR:
            break
        default:
            return "is a file, not a folder; choose a folder for the output with --output"
        }
        if let reason = insideSite(path, site: site) { return reason }
        if isOwned(path) { return nil }
        return "holds files that monarch did not write (it has no \(recordName) record); a build replaces its output folder whole, so monarch will not use this one: choose a new or empty folder with --output, or move these files away (if it is the output of an older monarch, delete it once)"
    }

    /// Whether `path` is a folder Monarch may replace: empty, or holding its record.
    public static func isOwned(_ path: String) -> Bool {
        guard let directory = opendir(path) else { return false }
        defer { closedir(directory) }
        var empty = true
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            empty = false
            break
        }
        if empty { return true }
        var info = stat()
        let record = path + "/" + recordName
        guard lstat(record, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) == recordText.count,
              let bytes = FileManager.default.contents(atPath: record) else { return false }
        return bytes == recordText
    }

    /// The site folder itself, a folder holding it, or a folder inside what the site is built
    /// from: a build there would swap away the site or write into its own input.
    public static func insideSite(_ path: String, site: URL) -> String? {
        let site = resolvingLinks(site).path
        if path == site { return "is the site folder itself; a build would replace the site: choose another folder, such as public/, with --output" }
        if site.hasPrefix(path == "/" ? "/" : path + "/") {
            return "contains the site folder; a build would replace the site: choose another folder, such as public/, with --output"
        }
        for input in ["content", "templates", "translations", "static"] {
            let folder = site + "/" + input
            if path == folder || path.hasPrefix(folder + "/") {
                return "lies inside the site's \(input)/ folder, which the build reads; choose a folder outside it, such as public/, with --output"
            }
        }
        return nil
    }
}

/// One build at a time into an output folder: an exclusive `flock` on a file beside it, held
/// until the build ends (or its process dies: the kernel then releases it).
public final class OutputLock {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// The lock file of `output`: `.public.monarch-lock` beside `public/`.
    public static func file(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).monarch-lock")
    }

    /// Takes the lock, waiting at most `wait` seconds for another build to finish. Throws a
    /// message for people when it cannot.
    public static func acquire(for output: URL, wait: Double) throws -> OutputLock {
        let file = self.file(for: output)
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(file.path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else {
            throw LockError(message: "cannot create the lock file \(file.lastPathComponent) beside the output folder (\(String(cString: strerror(errno)))); check that its parent folder is writable")
        }
        let deadline = Date().addingTimeInterval(wait)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                let holder = (try? String(contentsOf: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                close(fd)
                let who = Int(holder).map { " (process \($0))" } ?? ""
                throw LockError(message: "another monarch build\(who) is writing this output folder and did not finish within \(Int(wait)) s; wait for it to end, or build into another folder with --output")
            }
            usleep(50_000)
        }
        let pid = Data("\(getpid())\n".utf8)
        ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return OutputLock(descriptor: fd)
    }

    public struct LockError: Error {
        public let message: String
    }
}
