import Foundation
import MonarchCore

/// Finds what would make a reader's browser contact another host: a resource (image, script,
/// stylesheet, font, frame, media, prefetch) loaded from an absolute or protocol-relative
/// address. Plain links (`<a href>`) are the reader's own choice and are allowed.
enum PrivacyCheck {
    struct Finding {
        var line: Int
        var column: Int
        var address: String
    }

    private static let external = #"(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//[^\s"'<>)]+"#
    /// Attributes that load something, on any element but `<a>` and `<link>` of a non-loading rel.
    nonisolated(unsafe) private static let loadingAttribute = try! Regex(
        #"<(?!a[\s>])(?!link[\s>])[a-zA-Z][^>]*?\s(?:src|srcset|poster|data|background|action|formaction)\s*=\s*["']?\s*("# + external + ")")
    nonisolated(unsafe) private static let loadingLink = try! Regex(
        #"<link\b(?=[^>]*\brel\s*=\s*["']?[^"'>]*\b(?:stylesheet|icon|preload|prefetch|preconnect|dns-prefetch|modulepreload|manifest|import)\b)[^>]*\bhref\s*=\s*["']?\s*("# + external + ")")
    nonisolated(unsafe) private static let cssLoad = try! Regex(
        #"(?:url\(\s*["']?\s*|@import\s+["']?)("# + external + ")")
    nonisolated(unsafe) private static let refresh = try! Regex(
        #"http-equiv\s*=\s*["']?refresh[^>]*url\s*=\s*("# + external + ")")
    nonisolated(unsafe) private static let scriptAddress = try! Regex(#"(https?://[^\s"'`)]+)"#)

    enum Kind { case html, css, script }

    static func kind(ofFile path: String) -> Kind? {
        switch (path as NSString).pathExtension.lowercased() {
        case "html", "htm", "mustache", "svg", "xml", "xhtml": return .html
        case "css": return .css
        case "js", "mjs": return .script
        default: return nil
        }
    }

    static func findings(in text: String, kind: Kind) -> [Finding] {
        let patterns: [Regex<AnyRegexOutput>]
        switch kind {
        case .html: patterns = [loadingAttribute, loadingLink, cssLoad, refresh]
        case .css: patterns = [cssLoad]
        case .script: patterns = [scriptAddress]
        }
        var result: [Finding] = []
        for pattern in patterns {
            for match in text.matches(of: pattern) {
                guard let range = match.output[1].range else { continue }
                let (line, column) = position(of: range.lowerBound, in: text)
                result.append(Finding(line: line, column: column, address: String(text[range])))
            }
        }
        return result.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    static func position(of index: String.Index, in text: String) -> (Int, Int) {
        var line = 1
        var lineStart = text.startIndex
        for i in text[..<index].indices where text[i] == "\n" {
            line += 1
            lineStart = text.index(after: i)
        }
        return (line, text[lineStart..<index].count + 1)
    }

    static let message = "would make every reader's browser contact another host"

    /// Scans every file of a folder of the site (templates/, static/); every finding is an error.
    static func scanFiles(in folder: URL, display: String, diagnostics: DiagnosticsEngine, memo: StepMemo<Bool>? = nil) {
        for file in FileList.files(in: folder) {
            scan(folder.appendingPathComponent(file), display: "\(display)/\(file)", diagnostics: diagnostics, memo: memo)
        }
    }

    /// Scans one HTML, CSS, SVG or script file; other files are left alone. With `memo` (the
    /// preview), a file whose text is unchanged is not scanned again.
    static func scan(_ url: URL, display: String, diagnostics: DiagnosticsEngine, memo: StepMemo<Bool>? = nil) {
        guard let kind = kind(ofFile: display), case .success(let text) = TextFile.read(url) else { return }
        guard let memo else { return report(text, kind: kind, display: display, diagnostics: diagnostics) }
        _ = memo.value(slot: display, key: text, diagnostics: diagnostics) { own in
            report(text, kind: kind, display: display, diagnostics: own)
            return true
        }
    }

    private static func report(_ text: String, kind: Kind, display: String, diagnostics: DiagnosticsEngine) {
        for finding in findings(in: text, kind: kind) {
            diagnostics.error(SourceLocation(path: display, line: finding.line, column: finding.column),
                "'\(finding.address)' \(message) (privacy); copy the file into the site and link it relatively")
        }
    }
}
