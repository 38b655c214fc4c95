import Foundation
import MonarchCore

/// Finds what would make a reader's browser contact another host, reading each file as the
/// browser does: HTML and templates with an HTML5 parser (entities decoded, every element and
/// attribute that loads something, SVG included), CSS with the CSS tokenizer, addresses with
/// the URL parser's rules (`\\host`, `/<TAB>/host`, `https:host` are other hosts). Plain links
/// (`<a href>`) are the reader's own choice and are allowed; a script may not hold an address
/// on another host at all, since what it does with it cannot be followed.
enum PrivacyCheck {
    struct Finding {
        var line: Int
        var column: Int
        var address: String
        /// Found in a script (a `.js` file, `<script>`, `on...=`, `javascript:`).
        var inScript: Bool = false
        /// Not an address: the HTML is nested too deep to be read (`HTMLTree.depthLimit`).
        var tooDeep: Bool = false
    }

    enum Kind { case html, template, css, script, svg }

    static func kind(ofFile path: String) -> Kind? {
        switch (path as NSString).pathExtension.lowercased() {
        case "html", "htm", "xml", "xhtml": return .html
        case "mustache": return .template
        case "svg": return .svg
        case "css": return .css
        // A web app manifest is JSON, read as a script's string literals: its icons and
        // start address are loaded by the browser like any other address.
        case "js", "mjs", "webmanifest": return .script
        default: return nil
        }
    }

    /// A finding before its place is turned into `line:column`.
    struct Located {
        var offset: Int
        var address: String
        var inScript: Bool
        var tooDeep = false
    }

    static func findings(in text: String, kind: Kind) -> [Finding] {
        let bytes = Array(text.utf8)
        let index = LineIndex(bytes)
        return located(in: bytes, kind: kind).map {
            let (line, column) = index.position($0.offset)
            return Finding(line: line, column: column, address: $0.address, inScript: $0.inScript, tooDeep: $0.tooDeep)
        }.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    static func located(in bytes: [UInt8], kind: Kind) -> [Located] {
        switch kind {
        case .html, .svg: return html(bytes)
        case .template: return html(blankingMustache(bytes))
        case .css: return css(bytes, at: 0, verbatim: true)
        case .script: return script(bytes, at: 0, verbatim: true)
        }
    }

    /// A Mustache tag (`{{x}}`, `{{{x}}}`, `{{#x}}`...) becomes blanks of the same length, so the
    /// HTML around it keeps its shape and its offsets: an attribute value that starts with a tag
    /// is read as what follows the tag (`{{root}}//host` is another host; `{{root}}assets/x.css`
    /// is relative), and a tag between attributes separates them as a space would.
    static func blankingMustache(_ bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        var index = 0
        let brace = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        while index + 1 < result.count {
            guard result[index] == brace, result[index + 1] == brace else { index += 1; continue }
            let closing = index + 2 < result.count && result[index + 2] == brace ? 3 : 2
            var end = index + closing
            while end + closing <= result.count, !result[end..<end + closing].allSatisfy({ $0 == close }) { end += 1 }
            guard end + closing <= result.count else { break }
            for position in index..<end + closing where result[position] != UInt8(ascii: "\n") { result[position] = 0x20 }
            index = end + closing
        }
        return result
    }

    // MARK: HTML

    /// `rel` values of `<link>` that load nothing; any other makes its `href` a load.
    private static let inertRels: Set<String> = [
        "alternate", "canonical", "author", "bookmark", "external", "help", "license", "next", "prev", "previous",
        "search", "tag", "me", "nofollow", "noopener", "noreferrer", "opener", "shortlink", "privacy-policy",
        "terms-of-service", "home", "index", "first", "last", "up", "start", "contents", "copyright",
        "webmention", "pingback", "edit", "archives",
    ]
    /// Attributes whose value is an address the browser loads (or sends a form to), on any element.
    private static let loadingAttributes: Set<String> = [
        "src", "poster", "data", "background", "action", "formaction", "codebase", "manifest", "lowsrc", "dynsrc",
    ]
    /// SVG presentation attributes that take a `url()`.
    private static let urlAttributes: Set<String> = [
        "fill", "stroke", "filter", "mask", "clip-path", "marker-start", "marker-mid", "marker-end", "cursor",
    ]

    private static func html(_ bytes: [UInt8]) -> [Located] {
        let tree = HTMLTree(parsing: bytes)
        if let offset = tree.tooDeep { return [Located(offset: offset, address: "", inScript: false, tooDeep: true)] }
        var found: [Located] = []
        for element in tree.elements {
            let inSVG = element.namespace == .svg
            for attribute in element.attributes {
                let value = attribute.value
                let place = { (inner: Int) in attribute.isVerbatim ? attribute.valueOffset + inner : attribute.valueOffset }
                switch attribute.name {
                case _ where loadingAttributes.contains(attribute.name):
                    found += load(value, at: attribute.valueOffset)
                case "srcset", "imagesrcset":
                    for (candidate, inner) in srcsetCandidates(value) { found += load(candidate, at: place(inner)) }
                case "ping":
                    for (address, inner) in words(value) { found += load(address, at: place(inner)) }
                case "href":
                    if element.name == "a" || element.name == "area" {
                        // A link is the reader's choice; what a `javascript:` link runs is not.
                        if case .script(let source) = BrowserURL.read(value) {
                            found += script(Array(source.utf8), at: attribute.valueOffset, verbatim: false)
                        }
                    } else if element.name == "link" {
                        let rels = (element.attribute("rel")?.value ?? "").lowercased().split(whereSeparator: \.isWhitespace)
                        if rels.contains(where: { !inertRels.contains(String($0)) }) { found += load(value, at: attribute.valueOffset) }
                    } else if element.name == "base" || inSVG || attribute.isXLink {
                        found += load(value, at: attribute.valueOffset)
                    }
                case "style":
                    found += css(Array(value.utf8), at: attribute.valueOffset, verbatim: attribute.isVerbatim)
                case "content" where element.name == "meta"
                    && element.attribute("http-equiv")?.value.trimmingCharacters(in: .whitespaces).lowercased() == "refresh":
                    if let (address, inner) = refreshAddress(value) { found += load(address, at: place(inner)) }
                case "srcdoc":
                    found += html(Array(value.utf8)).map {
                        Located(offset: attribute.valueOffset, address: $0.address, inScript: $0.inScript, tooDeep: $0.tooDeep)
                    }
                case _ where attribute.name.hasPrefix("on"):
                    found += script(Array(value.utf8), at: attribute.valueOffset, verbatim: attribute.isVerbatim)
                case _ where inSVG && urlAttributes.contains(attribute.name):
                    found += css(Array(value.utf8), at: attribute.valueOffset, verbatim: attribute.isVerbatim)
                default:
                    break
                }
            }
            if element.name == "style" {
                for text in element.texts { found += css(Array(text.text.utf8), at: text.offset, verbatim: text.isVerbatim) }
            }
            if element.name == "script" {
                // JSON-LD and JSON data blocks are never run; every other type may be.
                let type = element.attribute("type")?.value.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
                if type != "application/ld+json" && type != "application/json" {
                    for text in element.texts { found += script(Array(text.text.utf8), at: text.offset, verbatim: text.isVerbatim) }
                }
            }
        }
        // `<?xml-stylesheet href="..."?>` (an XML processing instruction, a comment to the HTML
        // parser) loads a stylesheet when an SVG or XML file is opened by itself.
        for (text, offset) in tree.comments where text.lowercased().hasPrefix("<?xml-stylesheet") {
            let bytes = Array(text.utf8)
            let lower = bytes.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
            guard let href = (0..<max(lower.count - 3, 0)).first(where: { lower[$0..<$0 + 4].elementsEqual("href".utf8) })
            else { continue }
            var index = href + 4
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == UInt8(ascii: "=") { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else { continue }
            let quote = bytes[index]
            let end = bytes[(index + 1)...].firstIndex(of: quote) ?? bytes.count
            found += load(String(decoding: bytes[(index + 1)..<end], as: UTF8.self), at: offset + index + 1)
        }
        return found
    }

    /// What loading `address` does: another host is a finding; a `javascript:` address is a
    /// script; a `data:` document, stylesheet or script is read for what it loads in turn.
    private static func load(_ address: String, at offset: Int) -> [Located] {
        switch BrowserURL.read(address) {
        case .offSite:
            return [Located(offset: offset, address: address.trimmingCharacters(in: .whitespacesAndNewlines), inScript: false)]
        case .script(let source):
            return script(Array(source.utf8), at: offset, verbatim: false)
        case .data(let type, let body):
            let kind: Kind?
            switch type {
            case "text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml": kind = .html
            case "text/css": kind = .css
            case "text/javascript", "application/javascript", "application/x-javascript", "module": kind = .script
            default: kind = nil
            }
            guard let kind else { return [] }
            return located(in: Array(body.utf8), kind: kind).map {
                Located(offset: offset, address: $0.address, inScript: $0.inScript, tooDeep: $0.tooDeep)
            }
        case .local, .otherScheme:
            return []
        }
    }

    /// The addresses of a `srcset`, each with its byte offset in the value (HTML's "parse a
    /// srcset attribute": candidates split at commas, a URL up to blank space, then descriptors).
    static func srcsetCandidates(_ value: String) -> [(String, Int)] {
        let bytes = Array(value.utf8)
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D }
        var result: [(String, Int)] = []
        var index = 0
        while index < bytes.count {
            while index < bytes.count, isBlank(bytes[index]) || bytes[index] == UInt8(ascii: ",") { index += 1 }
            guard index < bytes.count else { break }
            let start = index
            while index < bytes.count, !isBlank(bytes[index]) { index += 1 }
            var end = index
            let endsWithComma = bytes[end - 1] == UInt8(ascii: ",")
            while end > start, bytes[end - 1] == UInt8(ascii: ",") { end -= 1 }
            result.append((String(decoding: bytes[start..<end], as: UTF8.self), start))
            if endsWithComma { continue }
            var inParentheses = false
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "(") { inParentheses = true }
                else if byte == UInt8(ascii: ")") { inParentheses = false }
                else if byte == UInt8(ascii: ","), !inParentheses { break }
            }
        }
        return result
    }

    private static func words(_ value: String) -> [(String, Int)] {
        var result: [(String, Int)] = []
        var offset = 0
        for part in value.utf8.split(separator: 0x20, omittingEmptySubsequences: false) {
            if !part.isEmpty { result.append((String(decoding: part, as: UTF8.self), offset)) }
            offset += part.count + 1
        }
        return result
    }

    /// The address of `<meta http-equiv="refresh" content="5; url='...'">` with its byte offset,
    /// read as HTML's "shared declarative refresh steps" do.
    static func refreshAddress(_ content: String) -> (String, Int)? {
        let bytes = Array(content.utf8)
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D }
        var index = 0
        func skipBlanks() { while index < bytes.count, isBlank(bytes[index]) { index += 1 } }
        skipBlanks()
        let digitsStart = index
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) || bytes[index] == UInt8(ascii: ".") { index += 1 }
        guard index > digitsStart else { return nil }
        guard index < bytes.count else { return nil }
        guard isBlank(bytes[index]) || bytes[index] == UInt8(ascii: ";") || bytes[index] == UInt8(ascii: ",") else { return nil }
        skipBlanks()
        if index < bytes.count, bytes[index] == UInt8(ascii: ";") || bytes[index] == UInt8(ascii: ",") { index += 1 }
        skipBlanks()
        guard index < bytes.count else { return nil }
        let urlStart = index
        if index + 3 <= bytes.count, String(decoding: bytes[index..<index + 3], as: UTF8.self).lowercased() == "url" {
            index += 3
            skipBlanks()
            if index < bytes.count, bytes[index] == UInt8(ascii: "=") {
                index += 1
                skipBlanks()
            } else {
                index = urlStart
            }
        }
        var end = bytes.count
        if index < bytes.count, bytes[index] == UInt8(ascii: "'") || bytes[index] == UInt8(ascii: "\"") {
            let quote = bytes[index]
            index += 1
            end = bytes[index...].firstIndex(of: quote) ?? bytes.count
        }
        return (String(decoding: bytes[index..<end], as: UTF8.self), index)
    }

    // MARK: CSS and scripts

    /// With `verbatim` false (text changed by entity decoding), every finding is placed at `offset`.
    private static func css(_ bytes: [UInt8], at offset: Int, verbatim: Bool) -> [Located] {
        CSSTokenizer.addresses(in: bytes).flatMap { address, inner in
            switch BrowserURL.read(address) {
            case .offSite: return [Located(offset: verbatim ? offset + inner : offset, address: address, inScript: false)]
            case .data: return load(address, at: verbatim ? offset + inner : offset)
            default: return []
            }
        }
    }

    private static func script(_ bytes: [UInt8], at offset: Int, verbatim: Bool) -> [Located] {
        ScriptStrings.literals(in: bytes).compactMap { literal, inner in
            ScriptStrings.isOffSiteAddress(literal)
                ? Located(offset: verbatim ? offset + inner : offset, address: literal, inScript: true) : nil
        }
    }

    // MARK: Reports

    static let message = "would make every reader's browser contact another host"
    static let scriptMessage = "is an address on another host in a script; scripts may not contain off-site addresses, as they would make every reader's browser contact another host (privacy)"

    /// An address as it can be shown in a message: controls escaped, long ones cut.
    static func shown(_ address: String) -> String {
        var result = ""
        for scalar in address.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F { result += "\\u{\(String(scalar.value, radix: 16))}" }
            else { result.unicodeScalars.append(scalar) }
            if result.count > 200 { return result + "…" }
        }
        return result
    }

    /// The error for a finding; `resourceAdvice` is what to do about a loaded resource.
    static func describe(_ finding: Finding, resourceAdvice: String) -> String {
        if finding.tooDeep {
            return "elements nested more than \(HTMLTree.depthLimit) deep here: browsers flatten such nesting, so the privacy check cannot read this HTML as a browser would; close the elements opened before this one"
        }
        return finding.inScript
            ? "'\(shown(finding.address))' \(scriptMessage); copy what it loads into the site and use a relative address"
            : "'\(shown(finding.address))' \(message) (privacy); \(resourceAdvice)"
    }

    /// Scans every file of a folder of the site (templates/, static/); every finding is an error.
    static func scanFiles(in folder: URL, display: String, diagnostics: DiagnosticsEngine, memo: StepMemo<Bool>? = nil) {
        for file in FileList.files(in: folder) {
            scan(folder.appendingPathComponent(file), display: "\(display)/\(file)", diagnostics: diagnostics, memo: memo)
        }
    }

    /// Scans one HTML, template, CSS, SVG or script file; other files are left alone. An SVG is
    /// also checked for script (`SVGCheck`). With `memo` (the preview), a file whose text is
    /// unchanged is not scanned again.
    static func scan(_ url: URL, display: String, diagnostics: DiagnosticsEngine, memo: StepMemo<Bool>? = nil) {
        if (display as NSString).pathExtension.lowercased() == "svgz" {
            // Servers send it as a compressed SVG, which the browser runs like any other.
            return diagnostics.error(SourceLocation(path: display),
                "a compressed SVG cannot be checked for script; publish it uncompressed, as .svg")
        }
        guard let kind = kind(ofFile: display) else { return }
        let text: String
        switch TextFile.read(url) {
        case .success(let read):
            text = read
        case .failure(.notUTF8(let line, let column, let detail)):
            // Unread, it would be published unchecked; a browser reads it in some encoding.
            return diagnostics.error(SourceLocation(path: display, line: line, column: column),
                "\(detail) (the privacy check reads every HTML, CSS, SVG and script file as UTF-8)")
        case .failure(.unreadable(let message)):
            return diagnostics.error(SourceLocation(path: display), "\(message); the privacy check must read every HTML, CSS, SVG and script file")
        case .failure(.tooLarge):
            return
        }
        guard let memo else { return report(text, kind: kind, display: display, diagnostics: diagnostics) }
        _ = memo.value(slot: display, key: text, diagnostics: diagnostics) { own in
            report(text, kind: kind, display: display, diagnostics: own)
            return true
        }
    }

    private static func report(_ text: String, kind: Kind, display: String, diagnostics: DiagnosticsEngine) {
        for finding in findings(in: text, kind: kind) {
            diagnostics.error(SourceLocation(path: display, line: finding.line, column: finding.column),
                describe(finding, resourceAdvice: "copy the file into the site and link it relatively"))
        }
        if kind == .svg { SVGCheck.report(text, display: display, diagnostics: diagnostics) }
    }
}
