import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists files under a folder, relative paths, hidden files skipped, sorted.
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
        let base = folder.standardizedFileURL.path
        let sitePath = site?.resolvingSymlinksInPath().standardizedFileURL.path
        var result: [String] = []
        walk(base, relative: "", depth: 0) { full, relative, info in
            guard info.st_mode & S_IFMT == S_IFLNK else {
                result.append(relative)
                return
            }
            guard let sitePath else { return }
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
            result.append(relative)
        }
        return result.sorted()
    }

    /// Every regular file below `folder` (links and hidden names left out, as `files(in:)`
    /// does without a site) with what `lstat` said of it, sorted by path: one walk, no second
    /// `lstat` per file (the build cache stamps every output file this way).
    public static func regularFiles(in folder: URL) -> [(path: String, info: stat)] {
        var result: [(path: String, info: stat)] = []
        walk(folder.standardizedFileURL.path, relative: "", depth: 0) { _, relative, info in
            if info.st_mode & S_IFMT == S_IFREG { result.append((relative, info)) }
        }
        return result.sorted { $0.path < $1.path }
    }

    /// Calls `found(full path, relative path, lstat's answer)` for every regular file and
    /// symbolic link below `path`; hidden names (starting with a dot) are skipped, folders
    /// are entered (never through a link).
    private static func walk(_ path: String, relative: String, depth: Int,
                             _ found: (String, String, stat) -> Void) {
        guard depth < 256, let directory = opendir(path) else { return }
        defer { closedir(directory) }
        var folders: [(String, String)] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }
            let full = path + "/" + name
            let inner = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(full, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: folders.append((full, inner))
            case S_IFREG, S_IFLNK: found(full, inner, info)
            default: continue
            }
        }
        for (full, inner) in folders { walk(full, relative: inner, depth: depth + 1, found) }
    }
}
