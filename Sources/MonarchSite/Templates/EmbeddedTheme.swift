import Foundation

/// The built-in theme the binary carries (EmbeddedThemeFiles, written at build time by the
/// EmbedTheme plugin from the repository's `templates/` and `translations/`), unpacked into a
/// folder the rest of the pipeline reads like any theme folder: the build cache, the render
/// memo and the print workers (which get it as `MONARCH_HOME`) all work on paths.
///
/// The folder is named for the theme's digest, in the user's cache folder, so that each
/// binary unpacks once and two versions of monarch never share one. Before each use every
/// file is compared with the bytes the binary carries, and the folder is unpacked again if
/// any differs: an edited or damaged copy is never rendered with.
enum EmbeddedTheme {
    /// Each file's path under the theme folder, and its bytes.
    static let files: [(path: String, data: Data)] = EmbeddedThemeFiles.files.map {
        ($0.path, Data(base64Encoded: $0.base64) ?? Data())
    }

    /// Where the theme is unpacked: `$XDG_CACHE_HOME/monarch`, else `~/.cache/monarch`, else a
    /// folder of this user's in the temporary folder.
    static func cacheFolders() -> [URL] {
        let environment = ProcessInfo.processInfo.environment
        var folders: [URL] = []
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            folders.append(URL(fileURLWithPath: cache).appendingPathComponent("monarch"))
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            folders.append(URL(fileURLWithPath: home).appendingPathComponent(".cache/monarch"))
        }
        folders.append(URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("monarch-\(getuid())"))
        return folders
    }

    /// The unpacked theme folder, or what went wrong in each place tried.
    static let unpacked: Result<URL, UnpackFailure> = unpack()

    struct UnpackFailure: Error {
        var tried: [(folder: String, reason: String)]
        var message: String {
            tried.map { "\($0.folder) (\($0.reason))" }.joined(separator: ", ")
        }
    }

    private static func unpack() -> Result<URL, UnpackFailure> {
        var tried: [(String, String)] = []
        for parent in cacheFolders() {
            let folder = parent.appendingPathComponent("theme-" + EmbeddedThemeFiles.digest)
            do {
                try unpack(into: folder, parent: parent)
                return .success(folder)
            } catch {
                tried.append((folder.path, "\(error.localizedDescription)"))
            }
        }
        return .failure(UnpackFailure(tried: tried))
    }

    /// Whether `folder` holds exactly the carried files (others may sit beside them).
    static func matches(_ folder: URL) -> Bool {
        files.allSatisfy { file in
            (try? Data(contentsOf: folder.appendingPathComponent(file.path))) == file.data
        }
    }

    private static func unpack(into folder: URL, parent: URL) throws {
        if matches(folder) { return }
        let fm = FileManager.default
        // Only this user may write there: another user's folder in a shared /tmp could
        // hand us templates of theirs.
        try fm.createDirectory(at: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var info = stat()
        guard lstat(parent.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == getuid(),
              info.st_mode & 0o022 == 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSLocalizedDescriptionKey: "not a folder of this user's alone"])
        }
        // Written beside it, then renamed into place: a build running at the same time sees
        // the old folder or the new one, never half of one.
        let scratch = parent.appendingPathComponent(".theme-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        defer { try? fm.removeItem(at: scratch) }
        for file in files {
            let url = scratch.appendingPathComponent(file.path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.data.write(to: url)
        }
        if fm.fileExists(atPath: folder.path) {
            // A damaged copy (or one another process is just putting in place).
            if matches(folder) { return }
            let old = parent.appendingPathComponent(".old-\(getpid())-\(UInt32.random(in: 0 ... .max))")
            try? fm.moveItem(at: folder, to: old)
            try? fm.removeItem(at: old)
        }
        if rename(scratch.path, folder.path) != 0 {
            if matches(folder) { return }   // another process won the race
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
        }
    }
}
