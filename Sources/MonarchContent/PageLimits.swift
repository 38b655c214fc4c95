import Foundation

/// Limits that keep one hostile or mistaken page from taking the whole build down (issue #6,
/// point 5).
///
/// - A page's file may be at most `maxBytes` (8 MiB). Parsing holds cmark's tree and the
///   Swift tree of a page at once, about 35 bytes per byte of Markdown, and every core parses
///   a page, so a 50 MB page would need well over 1 GiB. A page that size is a mistake (a
///   reader downloads it whole; the page-weight budget is 14 KB gzipped), and the build says
///   so before reading it: `content/en/big.md:1:1: error: the page is 50.0 MiB of Markdown,
///   over the 8 MiB a page may have; split it into several pages`.
/// - Nesting: block quotes, lists, emphasis and links nested deeper than 100 are flattened
///   into the 100th level (see `CMarkParser`), so that no tree walk recurses deeper.
public enum PageLimits {
    public static let maxBytes = 8 * 1024 * 1024

    /// Why a file of `bytes` is too big to be a page (`TextFile.read` with `limit: maxBytes`
    /// says so from its size, before reading it).
    public static func sizeProblem(bytes: Int) -> String {
        String(format: "the page is %.1f MiB of Markdown, over the %d MiB a page may have; split it into several pages",
               Double(bytes) / 1_048_576, maxBytes / 1_048_576)
    }
}
