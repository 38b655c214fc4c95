import Foundation
import MonarchCore

/// An SVG opened by itself is a document of the site's own origin: whatever script it holds
/// runs there. SVGs are therefore published only without script; one with any way to run
/// script is refused, naming what was found. The file is read by the HTML5 parser (SVG as
/// foreign content) and must be SVG throughout: an element the HTML parser reads as HTML
/// (`<textarea>`, `<title>` outside `<svg>`, a prefixed `<x:script>`) could be read otherwise
/// by the browser's XML parser, so it is refused too. Addresses on other hosts are the privacy
/// check's findings (`PrivacyCheck`).
enum SVGCheck {
    struct Problem: Equatable {
        var offset: Int
        var message: String
    }

    /// Elements that run script or hold a document that can.
    private static let scriptElements: Set<String> = [
        "script", "foreignobject", "iframe", "embed", "object", "frame", "handler", "listener",
    ]
    private static let animationElements: Set<String> = ["animate", "set", "animatetransform", "animatemotion", "animatecolor"]
    /// `data:` types a browser would open as a document.
    private static let documentTypes: Set<String> = [
        "text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml",
    ]

    static func problems(in text: String) -> [Problem] {
        let bytes = Array(text.utf8)
        var found: [Problem] = []
        found += declarations(bytes)
        // Too deep to read: the privacy check reports it.
        let tree = HTMLTree(parsing: bytes)
        // The file was read as UTF-8; a browser honours the XML declaration, and some encodings
        // (ISO-2022-JP) turn ASCII bytes into other characters, markup included.
        for (text, offset) in tree.comments where text.lowercased().hasPrefix("<?xml ") {
            let lower = text.lowercased()
            guard let range = lower.range(of: #"encoding\s*=\s*["']([^"']*)["']"#, options: .regularExpression) else { continue }
            let declared = lower[range].split(whereSeparator: { $0 == "\"" || $0 == "'" }).dropFirst().first.map(String.init) ?? ""
            if declared != "utf-8" && declared != "utf8" {
                found.append(Problem(offset: offset, message: "the XML declaration names the encoding '\(PrivacyCheck.shown(declared))', while the file is checked as UTF-8; save it as UTF-8 and declare encoding=\"UTF-8\" (or nothing)"))
            }
        }
        for element in tree.elements {
            // The HTML parser's own html/head/body around the drawing.
            if element.namespace == .html, ["html", "head", "body"].contains(element.name) { continue }
            if scriptElements.contains(element.name) || scriptElements.contains(localName(element.name)) {
                found.append(Problem(offset: element.offset, message: "<\(element.name)> runs script or holds a document that can"))
                continue
            }
            if element.name.contains(":") {
                found.append(Problem(offset: element.offset, message: "<\(element.name)> is a prefixed element name, which a browser may read as any element, <script> included; use the plain SVG element name"))
                continue
            }
            if element.namespace != .svg {
                found.append(Problem(offset: element.offset, message: "<\(element.name)> is not an SVG element here (a browser reading the file as XML may read it otherwise)"))
                continue
            }
            for attribute in element.attributes {
                let name = localName(attribute.name)
                if name.hasPrefix("on") {
                    found.append(Problem(offset: attribute.valueOffset, message: "the event attribute \(attribute.name)= runs script"))
                    continue
                }
                switch BrowserURL.read(attribute.value) {
                case .script:
                    found.append(Problem(offset: attribute.valueOffset, message: "\(attribute.name)=\"\(PrivacyCheck.shown(String(attribute.value.prefix(40))))\" is a javascript: address, which runs script"))
                case .otherScheme("vbscript"):
                    found.append(Problem(offset: attribute.valueOffset, message: "\(attribute.name)= is a vbscript: address, which runs script"))
                // An `<image>` shows a document as a picture, where script never runs.
                case .data(let type, _) where documentTypes.contains(type) && (name == "href" || name == "src")
                    && element.name != "image" && element.name != "feimage":
                    found.append(Problem(offset: attribute.valueOffset, message: "\(attribute.name)= is a data: document (\(type)), which can run script"))
                default:
                    break
                }
            }
            if animationElements.contains(element.name), let target = element.attribute("attributename") {
                let targetName = localName(target.value.trimmingCharacters(in: .whitespaces).lowercased())
                if targetName == "href" || targetName.hasPrefix("on") {
                    found.append(Problem(offset: target.valueOffset, message: "<\(element.name) attributeName=\"\(PrivacyCheck.shown(target.value))\"> changes a link or an event handler, which can run script"))
                }
            }
        }
        return found.sorted { $0.offset < $1.offset }
    }

    /// `<!ENTITY` anywhere and a DOCTYPE with an internal subset (`[...]`): declarations the
    /// browser's XML parser acts on and the HTML parser does not see.
    private static func declarations(_ bytes: [UInt8]) -> [Problem] {
        var found: [Problem] = []
        let lower = bytes.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
        func occurrences(_ needle: String) -> [Int] {
            let pattern = Array(needle.utf8)
            guard lower.count >= pattern.count else { return [] }
            return (0...(lower.count - pattern.count)).filter { lower[$0..<$0 + pattern.count].elementsEqual(pattern) }
        }
        for offset in occurrences("<!entity") {
            found.append(Problem(offset: offset, message: "an <!ENTITY declaration, which can hide markup (script included) from every check"))
        }
        for offset in occurrences("<!doctype") {
            let rest = bytes[offset...]
            let end = rest.firstIndex(of: UInt8(ascii: ">")) ?? bytes.count
            if let bracket = rest.firstIndex(of: UInt8(ascii: "[")), bracket < end {
                found.append(Problem(offset: offset, message: "a DOCTYPE with declarations ([...]), which can hide markup (script included) from every check"))
            }
        }
        return found
    }

    private static func localName(_ name: String) -> String {
        name.split(separator: ":").last.map(String.init) ?? name
    }

    static func report(_ text: String, display: String, diagnostics: DiagnosticsEngine) {
        let index = LineIndex(Array(text.utf8))
        for problem in problems(in: text) {
            let (line, column) = index.position(problem.offset)
            diagnostics.error(SourceLocation(path: display, line: line, column: column),
                "\(problem.message); remove it (an icon or drawing needs none) or export the SVG again as plain shapes: SVGs are published only without script, since one opened by itself runs it on the site's own address")
        }
    }
}
