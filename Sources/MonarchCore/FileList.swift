import Foundation

/// Lists files under a folder, relative paths, hidden files skipped, sorted.
public enum FileList {
    /// Every regular file below `folder`. With `site`, a symbolic link that leads outside the
    /// site folder is an error (reported as `display/relative`), so that no content, template
    /// or static file can make monarch read or publish a file from elsewhere on the machine;
    /// a link to a file inside the site is followed, a link to a folder is not.
    public static func files(in folder: URL, site: URL? = nil, display: String = "",
                             diagnostics: DiagnosticsEngine? = nil) -> [String] {
        let fm = FileManager.default
        let keys: [URLResourceKey] = [.isRegularFileKey, .isSymbolicLinkKey]
        guard let enumerator = fm.enumerator(at: folder, includingPropertiesForKeys: keys,
                                             options: [.skipsHiddenFiles]) else { return [] }
        let base = folder.standardizedFileURL.path
        let sitePath = site?.resolvingSymlinksInPath().standardizedFileURL.path
        var result: [String] = []
        for case let url as URL in enumerator {
            let full = url.standardizedFileURL.path
            guard full.hasPrefix(base + "/") else { continue }
            let relative = String(full.dropFirst(base.count + 1))
            let values = try? url.resourceValues(forKeys: Set(keys))
            if values?.isSymbolicLink == true {
                guard let sitePath else { continue }
                let target = url.resolvingSymlinksInPath().standardizedFileURL.path
                let location = SourceLocation(path: display.isEmpty ? relative : "\(display)/\(relative)")
                guard target.hasPrefix(sitePath + "/") else {
                    diagnostics?.error(location,
                        "symbolic link to \(target), outside the site folder; copy the file into the site instead")
                    continue
                }
                var isDirectory: ObjCBool = false
                guard fm.fileExists(atPath: target, isDirectory: &isDirectory) else {
                    diagnostics?.error(location, "symbolic link to \(target), which does not exist; remove the link")
                    continue
                }
                if isDirectory.boolValue {
                    diagnostics?.warning(location, "symbolic link to a folder is not followed; move the folder here instead")
                    continue
                }
                result.append(relative)
                continue
            }
            guard values?.isRegularFile == true else { continue }
            result.append(relative)
        }
        return result.sorted()
    }
}
