import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When a symbolic link inside the site is followed: only to a regular file that would itself
/// be published (or, for templates and translations, read) from its own place, of the same
/// type as the link's name says. Anything else, a link into `.git` or to `.env`, to
/// `site.yaml`, to a draft's source under another name, outside the site, or to a FIFO, is an
/// error naming the link and its target; the target is never opened.
public struct LinkRule: Sendable {
    /// The site folder's real path.
    public let sitePath: String
    /// The trees, relative to the site, where a link found in `display` may lead.
    let trees: [String]
    let unsafeHTML: Bool

    /// `display` is where the links are, relative to the site (`content/en`, `static`,
    /// `templates`, `translations`).
    public init(site: URL, display: String, unsafeHTML: Bool = false) {
        sitePath = FileList.realPath(site.standardizedFileURL.path) ?? site.standardizedFileURL.path
        switch display.split(separator: "/").first.map(String.init) ?? "" {
        case "content", "static":
            // The published trees; a theme's assets are published too.
            trees = ["content/", "static/", "templates/assets/"]
        default:
            trees = ["templates/", "translations/"]
        }
        self.unsafeHTML = unsafeHTML
    }

    /// What `stat` says of the file the link at `path` leads to, or nil (with an error at
    /// `location`) when the link may not be followed. `name` is the link's own name.
    public func follow(_ path: String, name: String, location: SourceLocation,
                       diagnostics: DiagnosticsEngine?) -> stat? {
        var info = stat()
        guard stat(path, &info) == 0, let real = FileList.realPath(path) else {
            diagnostics?.error(location, "symbolic link to \(linkText(path)), which does not exist; remove the link")
            return nil
        }
        guard real.hasPrefix(sitePath + "/") else {
            diagnostics?.error(location,
                "symbolic link to \(real), outside the site folder; copy the file into the site instead")
            return nil
        }
        let target = String(real.dropFirst(sitePath.count + 1))
        if info.st_mode & S_IFMT == S_IFDIR {
            diagnostics?.warning(location, "symbolic link to a folder (\(target)) is not followed; move the folder here instead")
            return nil
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            diagnostics?.error(location, "symbolic link to \(target), which is \(Self.kind(info)), not a file; remove the link")
            return nil
        }
        if target.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
            diagnostics?.error(location,
                "symbolic link to \(target), a hidden file or folder, which is never published; copy the file here if it is meant to be")
            return nil
        }
        guard trees.contains(where: target.hasPrefix) else {
            diagnostics?.error(location,
                "symbolic link to \(target), which is not published from its own place (only files under \(trees.joined(separator: ", ")) may be linked); copy the file here if it is meant to be")
            return nil
        }
        guard PublishedFiles.fileExtension(name) == PublishedFiles.fileExtension(target) else {
            diagnostics?.error(location,
                "symbolic link to \(target), a file of another type than its name says; link a file of the same type")
            return nil
        }
        if target.hasPrefix("content/"), !target.hasSuffix(".md"), !unsafeHTML, !PublishedFiles.isContentFile(target) {
            diagnostics?.error(location, "symbolic link to \(target), which \(PublishedFiles.refusal)")
            return nil
        }
        return info
    }

    /// What the link at `path` says, for a link that leads nowhere.
    private func linkText(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        return count > 0 ? String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
    }

    /// A special file's kind, as the error says it.
    static func kind(_ info: stat) -> String {
        switch info.st_mode & S_IFMT {
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFDIR: return "a folder"
        default: return "a special file"
        }
    }
}
