import Foundation
import MonarchContent
import MonarchCore

/// `monarch build --portable` (issue #5): besides the web output, a copy of the site that works
/// opened from a USB stick or a folder with `file://`, and the same copy zipped for sharing.
///
/// - `<output>-portable/` (beside the output folder: `public-portable/` by default); a reader
///   opens `index.html` in it.
/// - `<output>-portable.zip`: that folder, as `<output>-portable/...` inside the archive
///   (`ZipWriter`: deflate from the system's zlib).
///
/// The copy is the web output with every relative link and source that names a folder
/// (`../police/`, `../../`) made to name its `index.html` (`../police/index.html`), because a
/// browser shows a folder listing, not its index page, for a `file://` folder. Left out: the
/// service worker and its lists (no service worker runs from a file), `404.html` and
/// `sitemap.xml` (a web server's). The offline page stays: its explanation holds, and its
/// script says that the copy is already on the device. Search cannot load its index from a
/// file either, so the search page shows its list of every page, as it does without JavaScript.
public enum PortableCopy {
    /// The folder and zip beside `output`.
    public static func locations(output: URL) -> (folder: URL, zip: URL) {
        let output = output.standardizedFileURL
        let name = output.lastPathComponent + "-portable"
        let parent = output.deletingLastPathComponent()
        return (parent.appendingPathComponent(name), parent.appendingPathComponent(name + ".zip"))
    }

    static func isLeftOut(_ path: String) -> Bool {
        path == OfflinePage.workerPath || path == "404.html" || path == "sitemap.xml"
            || (path.hasPrefix("offline/") && path.hasSuffix(".json"))
    }

    /// The portable form of the rendered output.
    public static func make(_ rendered: SiteBuilder.Rendered) -> SiteBuilder.Rendered {
        var copy = rendered
        copy.files = rendered.files.filter { !isLeftOut($0.path) }.map { file in
            file.path.hasSuffix(".html") ? (file.path, Data(rewriteLinks(String(decoding: file.data, as: UTF8.self)).utf8)) : file
        }
        copy.copies = rendered.copies.filter { !isLeftOut($0.path) }
        return copy
    }

    nonisolated(unsafe) private static let attribute = try! Regex(#"\b(href|src)="([^"]*)""#)

    /// Every `href="..."` and `src="..."` whose value is a relative address of a folder gets
    /// `index.html`; addresses with a scheme, `//`, `/`, `#` or `?` first are left alone.
    static func rewriteLinks(_ html: String) -> String {
        html.replacing(attribute) { match -> String in
            let name = String(match.output[1].substring ?? "")
            let value = String(match.output[2].substring ?? "")
            return "\(name)=\"\(fileAddress(value))\""
        }
    }

    static func fileAddress(_ value: String) -> String {
        guard let first = value.first, first != "/", first != "#", first != "?" else { return value }
        if let colon = value.firstIndex(of: ":"),
           !value[..<colon].contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return value }   // a scheme
        var path = value
        var rest = ""
        if let cut = value.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            path = String(value[..<cut])
            rest = String(value[cut...])
        }
        if path.hasSuffix("/") { return path + "index.html" + rest }
        if path == "." || path == ".." || path.hasSuffix("/..") || path.hasSuffix("/.") { return path + "/index.html" + rest }
        return value
    }

    /// The files of the copy for the archive, under `top/`, sorted by path. A name that an
    /// unzipper could take outside the folder it extracts into (Zip Slip: a `..` part, a
    /// backslash, which Windows extractors read as a separator, a leading `/`, a control
    /// character) is refused, not written.
    static func entries(_ rendered: SiteBuilder.Rendered, top: String) throws -> [ZipWriter.Entry] {
        var entries: [ZipWriter.Entry] = rendered.files.map { ZipWriter.Entry(name: top + "/" + $0.path, data: $0.data) }
        for copy in rendered.copies {
            entries.append(ZipWriter.Entry(name: top + "/" + copy.path, source: copy.source))
        }
        for entry in entries where !isSafeEntryName(entry.name) {
            throw ZipWriter.Failure(description: "the file name '\(entry.name)' could be extracted outside its folder on some systems; rename the file in the site")
        }
        return entries.sorted { $0.name < $1.name }
    }

    static func isSafeEntryName(_ name: String) -> Bool {
        if name.hasPrefix("/") || name.contains("\\") || name.contains(":") { return false }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return false }
        return !name.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }

    /// Why `--portable` must not replace the file at `zip`, or nil: only an archive that it
    /// wrote itself (its comment says so) is replaced.
    static func zipRefusal(_ zip: URL) -> String? {
        var info = stat()
        guard lstat(zip.path, &info) == 0 else { return nil }
        let reason = "monarch did not write this file, and --portable would replace it; move it away or build into another --output"
        guard info.st_mode & S_IFMT == S_IFREG, info.st_size >= 22 + Int64(ZipWriter.comment.count) else { return reason }
        guard let handle = FileHandle(forReadingAtPath: zip.path) else { return reason }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(info.st_size) - UInt64(ZipWriter.comment.count))
        let tail = (try? handle.readToEnd()) ?? Data()
        return tail == ZipWriter.comment ? nil : reason
    }
}

extension SiteBuilder {
    /// `monarch build --portable`: the build as `run()` (without the build cache: it
    /// always builds), then the portable folder and zip (see `PortableCopy`). Returns nil when the site has errors or a write fails; the
    /// previous output, folder and zip are then unchanged.
    public func runPortable() -> BuildSummary? {
        let start = Date()
        let (folder, zip) = PortableCopy.locations(output: outputFolder)
        guard let lock = claimOutput([outputFolder, folder]) else { return nil }
        defer { withExtendedLifetime(lock) {} }
        if let reason = PortableCopy.zipRefusal(zip) {
            diagnostics.error(SourceLocation(path: Self.display(zip, site: siteFolder)), reason)
            return nil
        }
        guard let rendered = render() else { return nil }
        var summary = BuildSummary()
        summary.pages = rendered.pageCount
        summary.languages = rendered.languageCount
        summary.pamphlets = rendered.pamphletCount
        summary.files = rendered.files.count + rendered.copies.count
        let portable = PortableCopy.make(rendered)
        var stage = "output"
        do {
            progress?("writing \(summary.files) files")
            // The build cache's record (if any) describes an output about to be replaced; the
            // portable build always builds and records nothing, so the next build does too.
            BuildCache(outputFolder: outputFolder).remove()
            try Self.replace(outputFolder, with: rendered)
            stage = "portable copy"
            progress?("writing the portable copy to \(folder.lastPathComponent)/")
            try Self.replace(folder, with: portable)
            stage = "zip"
            progress?("zipping it into \(zip.lastPathComponent)")
            let date = BuildDate.creation()
            try ZipWriter.write(try PortableCopy.entries(portable, top: folder.lastPathComponent), date: date, to: zip.path)
        } catch {
            let reason = (error as? ZipWriter.Failure)?.description ?? error.localizedDescription
            diagnostics.error(SourceLocation(path: Self.display(stage == "output" ? outputFolder : stage == "zip" ? zip : folder, site: siteFolder)),
                "cannot write the \(stage) (\(reason)); check the folder's permissions and free space")
            return nil
        }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    private static func replace(_ folder: URL, with rendered: Rendered) throws {
        try OutputFolder(folder).publish(files: rendered.files, copies: rendered.copies)
    }
}
