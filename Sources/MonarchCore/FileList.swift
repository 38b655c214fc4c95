import Foundation

/// Lists files under a folder, relative paths, hidden files skipped, sorted.
public enum FileList {
    public static func files(in folder: URL) -> [String] {
        let fm = FileManager.default
        guard let enumerator = fm.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey],
                                             options: [.skipsHiddenFiles]) else { return [] }
        let base = folder.standardizedFileURL.path
        var result: [String] = []
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let full = url.standardizedFileURL.path
            guard full.hasPrefix(base + "/") else { continue }
            result.append(String(full.dropFirst(base.count + 1)))
        }
        return result.sorted()
    }
}
