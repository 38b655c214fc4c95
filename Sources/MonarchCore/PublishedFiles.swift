import Foundation

/// Which files under `content/` are published beside the pages. A contributor writes pages;
/// a file beside them is published only if a page can show it as content, so that no one
/// who may add a page can add script to the site's own origin (an `.html` or `.js` there runs
/// with the site's address, could register a service worker, and is not covered by the
/// Content-Security-Policy that Monarch's own pages carry in a `<meta>`).
public enum PublishedFiles {
    /// By lowercased extension: images, PDFs, audio and video, plain and office documents.
    /// SVG is an image here; what it may contain is the SVG check's business.
    public static let contentExtensions: Set<String> = [
        "png", "jpg", "jpeg", "gif", "webp", "avif", "svg",
        "pdf",
        "mp3", "ogg", "oga", "m4a", "wav", "webm", "mp4",
        "txt", "csv", "odt", "ods", "odp", "docx", "xlsx", "pptx", "epub",
    ]

    /// The lowercased extension of a path's last component ("" when it has none).
    public static func fileExtension(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    /// Whether a file beside the pages (not a page source) is published as it is.
    public static func isContentFile(_ path: String) -> Bool {
        contentExtensions.contains(fileExtension(path))
    }

    /// The error for a file under `content/` that is neither a page nor a file a page shows.
    public static let refusal = "is not published: only pages and files a page can show (images, PDFs, audio, video, documents) are; move it to static/ if it is meant for the site, or remove it"
}
