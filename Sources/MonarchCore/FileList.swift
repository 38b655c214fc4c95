import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists files under a folder, relative paths, hidden files skipped, sorted by path.
public enum FileList {
    /// Every regular file below `folder`. With `site`, a symbolic link that leads outside the
    /// site folder is an error (reported as `display/relative`), so that no content, template
    /// or static file can make monarch read or publish a file from elsewhere on the machine;
    /// a link to a file inside the site is followed, a link to a folder is not.
    ///
    /// Plain `readdir` and `lstat`: Foundation's enumerator with resource values took a
    /// quarter of a preview rebuild's time for the example site's ~200 files.
    public static func files(in folder: URL, site: URL? = nil, display: String = "",
                             diagnostics: DiagnosticsEngine? = nil) -> [String] {
        filesWithInfo(in: folder, site: site, display: display, diagnostics: diagnostics).map(\.path)
    }

    /// `files(in:site:display:diagnostics:)` with what `stat` says of each file (of the file
    /// a link leads to, for a link), from the walk that lists them.
    public static func filesWithInfo(in folder: URL, site: URL? = nil, display: String = "",
                                     diagnostics: DiagnosticsEngine? = nil) -> [(path: String, info: stat)] {
        let base = folder.standardizedFileURL.path
        let sitePath = site?.resolvingSymlinksInPath().standardizedFileURL.path
        var result: [(path: String, info: stat)] = []
        walk(base, relative: "", depth: 0) { relative, info in
            // `walk` decodes names leniently; a name that is not UTF-8 comes out with U+FFFD
            // in it, and no file has that name.
            if relative.unicodeScalars.contains("\u{FFFD}") {
                diagnostics?.error(SourceLocation(path: display.isEmpty ? relative : "\(display)/\(relative)"),
                    "the file name is not UTF-8 text (written in another encoding); rename the file, e.g. with 'convmv -f latin1 -t utf-8 --notest'")
                return
            }
            guard info.st_mode & S_IFMT == S_IFLNK else {
                result.append((relative, info))
                return
            }
            guard let sitePath else { return }
            let full = base + "/" + relative
            let fm = FileManager.default
            let target = URL(fileURLWithPath: full).resolvingSymlinksInPath().standardizedFileURL.path
            let location = SourceLocation(path: display.isEmpty ? relative : "\(display)/\(relative)")
            guard target.hasPrefix(sitePath + "/") else {
                diagnostics?.error(location,
                    "symbolic link to \(target), outside the site folder; copy the file into the site instead")
                return
            }
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: target, isDirectory: &isDirectory) else {
                diagnostics?.error(location, "symbolic link to \(target), which does not exist; remove the link")
                return
            }
            if isDirectory.boolValue {
                diagnostics?.warning(location, "symbolic link to a folder is not followed; move the folder here instead")
                return
            }
            var followed = stat()
            if stat(full, &followed) == 0 { result.append((relative, followed)) }
        }
        return result
    }

    /// Every regular file below `folder` (links and hidden names left out, as `files(in:)`
    /// does without a site) with what `lstat` said of it, sorted by path: one walk, no second
    /// `lstat` per file (the build cache stamps every output file this way).
    public static func regularFiles(in folder: URL) -> [(path: String, info: stat)] {
        var result: [(path: String, info: stat)] = []
        walk(folder.standardizedFileURL.path, relative: "", depth: 0) { relative, info in
            if info.st_mode & S_IFMT == S_IFREG { result.append((relative, info)) }
        }
        return result
    }

    /// Calls `found(relative path, lstat's answer)` for every regular file
    /// and symbolic link below `path`; hidden names (starting with a dot) are skipped, folders
    /// are entered (never through a link). Each name is looked up relative to its open folder
    /// (`fstatat`, `openat`): a full path for every file made the kernel walk every component
    /// of it again, which was most of the time of a build cache's check.
    private static func walk(_ path: String, relative: String, depth: Int,
                             _ found: (String, stat) -> Void) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        walk(descriptor, relative: relative, depth: depth, found)
    }

    /// `walk` from an open folder, which it closes.
    private static func walk(_ descriptor: Int32, relative: String, depth: Int,
                             _ found: (String, stat) -> Void) {
        guard depth < 256, let directory = fdopendir(descriptor) else {
            close(descriptor)
            return
        }
        defer { closedir(directory) }
        let folder = dirfd(directory)
        // Sorted here, a folder by its name and a slash, so that the walk goes in the order of
        // the whole paths (`a.md` before `a/b.md`) without sorting them all at the end.
        var entries: [(key: String, name: String, info: stat)] = []
        while let entry = readdir(directory) {
            var info = stat()
            let (name, ok) = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { pointer -> (String, Bool) in
                    if pointer[0] == 0x2E { return ("", false) }   // a hidden name, "." and ".."
                    return (String(cString: pointer), fstatat(folder, pointer, &info, AT_SYMLINK_NOFOLLOW) == 0)
                }
            }
            guard ok else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: entries.append((name + "/", name, info))
            case S_IFREG, S_IFLNK: entries.append((name, name, info))
            default: continue
            }
        }
        if entries.count > 1 { entries.sort { $0.key < $1.key } }
        for entry in entries {
            let inner = relative.isEmpty ? entry.name : relative + "/" + entry.name
            if entry.info.st_mode & S_IFMT == S_IFDIR {
                // Entered one at a time, so that only one open folder per level is held.
                let child = openat(folder, entry.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if child >= 0 { walk(child, relative: inner, depth: depth + 1, found) }
            } else {
                found(inner, entry.info)
            }
        }
    }
}
