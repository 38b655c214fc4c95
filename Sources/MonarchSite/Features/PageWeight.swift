import Foundation
import MonarchCore

/// How much a reader downloads to see a page (issue #5, "light"): the page's HTML with every
/// stylesheet and script it loads, gzipped, and the first image in its smallest copy (issue
/// #19: it is loaded at once, the others only when scrolled near), PDFs aside. The budget is 14 KB, what
/// the first round trip of a new connection carries, so that a page shows after one round trip
/// even on a slow prepaid connection.
public enum PageWeight {
    public static let budget = 14 * 1024

    public struct Weight: Sendable, Equatable {
        /// The page, an output path (`en/police/police-stop/index.html`).
        public var path: String
        /// The stylesheets and scripts it loads, output paths.
        public var assets: [String]
        /// HTML plus assets, gzipped.
        public var bytes: Int

        /// Said after "with its CSS and JS" when the first image is counted too.
        var imageNote: String {
            assets.contains { SiteImages.isImage($0) || $0.hasSuffix(".webp") } ? " and its first image" : ""
        }
    }


    /// Every HTML page of the output with its weight, heaviest first; nil without zlib.
    /// Pages are compressed on every core; each stylesheet and script once. With `over`, a
    /// page that cannot weigh more than that is left out without being compressed: its bytes
    /// plus zlib's bound on how much compressing can add, plus its assets gzipped, are no more.
    public static func measure(_ rendered: SiteBuilder.Rendered, over threshold: Int? = nil) -> [Weight]? {
        var generated: [String: Data] = [:]
        for file in rendered.files { generated[file.path] = file.data }
        var copied: [String: URL] = [:]
        for copy in rendered.copies { copied[copy.path] = copy.source }
        let known = Set(generated.keys).union(copied.keys)
        let pages = rendered.files.filter { $0.path.hasSuffix(".html") }.map { Page(path: $0.path, data: $0.data) }
        let loads = ParallelMap.map(pages) { page -> [String] in
            let folder = page.path.contains("/") ? String(page.path[...page.path.lastIndex(of: "/")!]) : ""
            var assets: [String] = []
            for href in loadedAddresses(in: page.data) {
                guard let path = outputPath(of: href, from: folder, exists: known.contains),
                      !assets.contains(path) else { continue }
                assets.append(path)
            }
            return assets
        }
        var assetSizes: [String: Int] = [:]
        for asset in Set(loads.joined()) {
            // A large copied file (a video, a photo) is weighed by its size: such files do not
            // compress, and reading one whole could take gigabytes of memory.
            if generated[asset] == nil, let source = copied[asset], let size = Self.fileSize(source.path), size > 4 << 20 {
                assetSizes[asset] = size
                continue
            }
            // Images are compressed already: weighed by their size, as they come.
            if SiteImages.isImage(asset) || asset.hasSuffix(".webp") {
                if let size = generated[asset]?.count ?? copied[asset].flatMap({ Self.fileSize($0.path) }) { assetSizes[asset] = size }
                continue
            }
            if let data = generated[asset] ?? copied[asset].flatMap({ try? Data(contentsOf: $0) }) {
                guard let size = GzipSize.size(of: data) else { return nil }
                assetSizes[asset] = size
            }
        }
        var candidates: [(page: Page, assets: [String], assetBytes: Int)] = []
        for (page, assets) in zip(pages, loads) {
            let assetBytes = assets.reduce(0) { $0 + (assetSizes[$1] ?? 0) }
            if let threshold, GzipSize.bound(page.data.count) + assetBytes <= threshold { continue }
            candidates.append((page, assets, assetBytes))
        }
        let sizes = ParallelMap.map(candidates.map(\.page)) { GzipSize.size(of: $0.data) }
        var weights: [Weight] = []
        for (candidate, size) in zip(candidates, sizes) {
            guard let size else { return nil }
            weights.append(Weight(path: candidate.page.path, assets: candidate.assets, bytes: size + candidate.assetBytes))
        }
        return weights.sorted { ($0.bytes, $1.path) > ($1.bytes, $0.path) }
    }

    /// The addresses a page loads as it opens: `href` of every `<link rel="stylesheet">`,
    /// then `src` of every `<script>`, in the order they appear, then its first image: the
    /// first address of the first `srcset` of a `<picture>` (its narrowest copy, in the first
    /// format), or the `src` of an `<img>` without one. Monarch's templates write
    /// attributes in double quotes, as this expects. A byte scan: Swift's Regex took a
    /// quarter of a build's time on the benchmark corpus.
    static func loadedAddresses(in html: Data) -> [String] {
        html.withUnsafeBytes { raw -> [String] in
            let bytes = raw.bindMemory(to: UInt8.self)
            var stylesheets: [String] = []
            var scripts: [String] = []
            var image: String?
            var i = 0
            let n = bytes.count
            while i < n {
                guard bytes[i] == UInt8(ascii: "<") else { i += 1; continue }
                let isLink = hasName(bytes, at: i + 1, "link")
                let isScript = !isLink && hasName(bytes, at: i + 1, "script")
                let isImage = image == nil && !isLink && !isScript && (hasName(bytes, at: i + 1, "img") || hasName(bytes, at: i + 1, "source"))
                guard isLink || isScript || isImage else { i += 1; continue }
                var end = i + 1
                while end < n, bytes[end] != UInt8(ascii: ">") { end += 1 }
                let tag = UnsafeBufferPointer(rebasing: bytes[i..<end])
                if isLink, attribute(tag, "rel") == "stylesheet", let href = attribute(tag, "href") {
                    stylesheets.append(href)
                } else if isScript, let src = attribute(tag, "src") {
                    scripts.append(src)
                } else if isImage {
                    if let srcset = attribute(tag, "srcset"),
                       let first = srcset.split(whereSeparator: { $0 == " " || $0 == "," }).first {
                        image = String(first)
                    } else if bytes[i + 1] | 0x20 == UInt8(ascii: "i"), let src = attribute(tag, "src") {
                        image = src
                    }
                }
                i = end
            }
            return stylesheets + scripts + (image.map { [$0] } ?? [])
        }
    }

    /// Whether `name` (lower case) starts at `start` and ends there (space, `/` or `>` next).
    private static func hasName(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, _ name: StaticString) -> Bool {
        let count = name.utf8CodeUnitCount
        guard start + count < bytes.count else { return false }
        let expected = UnsafeBufferPointer(start: name.utf8Start, count: count)
        for k in 0..<count where bytes[start + k] | 0x20 != expected[k] { return false }
        let next = bytes[start + count]
        return next == UInt8(ascii: " ") || next == UInt8(ascii: "\n") || next == UInt8(ascii: "\t")
            || next == UInt8(ascii: "/") || next == UInt8(ascii: ">")
    }

    /// The value of `name="..."` in a tag (attribute names compared without case).
    private static func attribute(_ tag: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> String? {
        let count = name.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: name.utf8Start, count: count)
        var i = 1
        while i + count + 1 < tag.count {
            let before = tag[i - 1]
            if before == UInt8(ascii: " ") || before == UInt8(ascii: "\n") || before == UInt8(ascii: "\t") {
                var same = true
                for k in 0..<count where tag[i + k] | 0x20 != expected[k] { same = false; break }
                if same, tag[i + count] == UInt8(ascii: "="), tag[i + count + 1] == UInt8(ascii: "\"") {
                    let start = i + count + 2
                    var end = start
                    while end < tag.count, tag[end] != UInt8(ascii: "\"") { end += 1 }
                    return String(decoding: UnsafeBufferPointer(rebasing: tag[start..<end]), as: UTF8.self)
                }
            }
            i += 1
        }
        return nil
    }

    private struct Page: Sendable {
        var path: String
        var data: Data
    }

    /// A relative or root-relative address in a page at `folder` as an output path; nil for
    /// another host.
    static func outputPath(of href: String, from folder: String, exists: (String) -> Bool) -> String? {
        var href = href
        if let cut = href.firstIndex(where: { $0 == "?" || $0 == "#" }) { href = String(href[..<cut]) }
        href = href.removingPercentEncoding ?? href
        if href.contains("://") || href.hasPrefix("//") { return nil }
        if href.hasPrefix("/") {
            // The 404 page links by absolute path under base_url's path: drop that prefix.
            var segments = href.split(separator: "/").map(String.init)
            while !segments.isEmpty {
                if exists(segments.joined(separator: "/")) { return segments.joined(separator: "/") }
                segments.removeFirst()
            }
            return nil
        }
        return SitePaths.resolve(href, against: folder)
    }

    /// The build's report: the heaviest page as a verbose line, and a warning for every page
    /// over its budget, at its source file when `sources` (output path -> source path) knows it.
    /// A page's budget is its own (`pageBudgets`, output path -> bytes, from the front matter's
    /// `weight_budget_kb`), else the site's (`siteBudget`, from site.yaml's), else `budget`.
    public static func check(_ rendered: SiteBuilder.Rendered, sources: [String: String] = [:],
                             siteBudget: Int = budget, pageBudgets: [String: Int] = [:],
                             diagnostics: DiagnosticsEngine, progress: (@Sendable (String) -> Void)?) {
        // Without anyone to tell which page is heaviest, only pages that may be over a
        // budget are compressed (on the benchmark's pages: none).
        let lowest = min(siteBudget, pageBudgets.values.min() ?? siteBudget)
        guard let weights = measure(rendered, over: progress == nil ? lowest : nil) else {
            progress?("page weight: not measured (no zlib on this system)")
            return
        }
        if let heaviest = weights.first { progress?("heaviest page: \(heaviest.path), \(GzipSize.kilobytes(heaviest.bytes)) gzipped with its CSS and JS\(heaviest.imageNote) (budget \(GzipSize.kilobytes(pageBudgets[heaviest.path] ?? siteBudget)))") }
        for weight in weights {
            let own = pageBudgets[weight.path]
            let limit = own ?? siteBudget
            guard weight.bytes > limit else { continue }
            let needed = (weight.bytes + 1023) / 1024 + 1
            let advice = own != nil
                ? "shorten or split the page, or raise 'weight_budget_kb' in its front matter to \(needed)"
                : "shorten or split the page; if it cannot be split (a long contract), give it its own budget with "
                  + "'weight_budget_kb: \(needed)' in its front matter, or every page one with 'weight_budget_kb' in site.yaml"
            diagnostics.warning(SourceLocation(path: sources[weight.path] ?? weight.path),
                "\(weight.path) weighs \(GzipSize.kilobytes(weight.bytes)) gzipped with its CSS and JS\(weight.imageNote), over the \(GzipSize.kilobytes(limit)) budget"
                + (limit == budget ? " that a slow connection brings in one round trip" : "") + "; " + advice)
        }
    }

    static func fileSize(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }
}
