import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists files under a folder, relative paths, hidden files skipped, sorted by path.
public enum FileList {
    /// Every regular file below `folder`. With `site`, a symbolic link is followed only to a
    /// file that would be published or read from its own place (`LinkRule`), and a FIFO,
    /// socket or device is an error (reported as `display/relative`): no content, template
    /// or static file can make monarch publish a file from elsewhere on the machine, a hidden
    /// folder (`.git`, `.env`) or a draft, and nothing is ever opened that could block.
    ///
    /// Plain `readdir` and `lstat`: Foundation's enumerator with resource values took a
    /// quarter of a preview rebuild's time for the example site's ~200 files.
    public static func files(in folder: URL, site: URL? = nil, display: String = "",
                             diagnostics: DiagnosticsEngine? = nil, unsafeHTML: Bool = false) -> [String] {
        filesWithInfo(in: folder, site: site, display: display, diagnostics: diagnostics, unsafeHTML: unsafeHTML).map(\.path)
    }

    /// `files(in:site:display:diagnostics:)` with what `stat` says of each file (of the file
    /// a link leads to, for a link), from the walk that lists them.
    public static func filesWithInfo(in folder: URL, site: URL? = nil, display: String = "",
                                     diagnostics: DiagnosticsEngine? = nil,
                                     unsafeHTML: Bool = false) -> [(path: String, info: stat)] {
        let base = folder.standardizedFileURL.path
        var result: [(path: String, info: stat)] = []
        guard let site else {
            walk(base, relative: "", depth: 0) { relative, info in
                if info.st_mode & S_IFMT == S_IFREG { result.append((relative, info)) }
            }
            return result
        }
        let rule = LinkRule(site: site, display: display, unsafeHTML: unsafeHTML)
        // A folder that is itself a link (`static -> /home/me`) would publish whatever it
        // leads to: its real place must be the one it has in the site.
        if let real = realPath(base), real != rule.sitePath + "/" + display {
            let inside = real.hasPrefix(rule.sitePath + "/")
            let shown = inside ? String(real.dropFirst(rule.sitePath.count + 1)) : real
            if !inside || shown.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                diagnostics?.error(SourceLocation(path: display),
                    "the folder is a symbolic link to \(shown), \(inside ? "a hidden folder" : "outside the site folder"); make it a real folder")
                return []
            }
        }
        walk(base, relative: "", depth: 0) { relative, info in
            // `walk` decodes names leniently; a name that is not UTF-8 comes out with U+FFFD
            // in it, and no file has that name.
            if relative.unicodeScalars.contains("\u{FFFD}") {
                diagnostics?.error(SourceLocation(path: display.isEmpty ? relative : "\(display)/\(relative)"),
                    "the file name is not UTF-8 text (written in another encoding); rename the file, e.g. with 'convmv -f latin1 -t utf-8 --notest'")
                return
            }
            let location = SourceLocation(path: display.isEmpty ? relative : "\(display)/\(relative)")
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                result.append((relative, info))
            case S_IFLNK:
                if let followed = rule.follow(base + "/" + relative, name: relative, location: location,
                                              diagnostics: diagnostics) {
                    result.append((relative, followed))
                }
            default:
                diagnostics?.error(location, "is \(LinkRule.kind(info)), not a file; remove it (nothing is read from it)")
            }
        }
        return result
    }

    /// The real path of `path` (every link resolved), nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
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

    /// Calls `found(relative path, lstat's answer)` for every regular file, symbolic link
    /// and special file (FIFO, socket, device: never opened) below `path`; hidden names
    /// (starting with a dot) are skipped, folders are entered (never through a link). Each
    /// name is looked up relative to its open folder (`fstatat`, `openat`): a full path for
    /// every file made the kernel walk every component of it again, which was most of the
    /// time of a build cache's check.
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
            default: entries.append((name, name, info))
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
