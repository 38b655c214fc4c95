import MonarchCore
import Mustache

/// swift-mustache renders a missing value as empty text, so a misspelt variable would
/// silently vanish from every page. This scan finds every tag of a template with its
/// position, so that unknown variables and missing partials are errors at template:line:col.
enum TemplateCheck {
    /// Every variable name monarch provides, in any template or nested list (docs/templates.md).
    static let variables: Set<String> = [
        // page.mustache
        "lang", "lang_key", "site_title", "title", "description", "root", "home_url", "css_url", "content",
        "content_lang", "is_fallback", "alternates", "x_default_href", "canonical_url", "languages",
        "parent", "children", "is_home", "is_section", "stale", "pdf", "t",
        // items of alternates, languages, parent, children
        "hreflang", "href", "key", "tag", "name", "is_current",
        // items of pdf
        "booklet_href", "bilingual_href",
        // items of the chooser's and 404's languages
        "choose_language", "not_found_title", "not_found_text", "home",
        // issue #5: quick exit, safety page, search (page.mustache; chooser's and 404's languages)
        "quick_exit_url", "safety_url", "search_url", "is_search", "search_index_url", "sections", "pages",
        "quick_exit", "safety_link", "safety_href",
        // issue #5: the offline page
        "offline_url", "is_offline",
    ]

    struct Tag {
        enum Kind { case variable, partial }
        var kind: Kind
        var name: String
        var location: SourceLocation
        /// A section on this name (`{{#t.footer_note}}`, `{{^...}}`), or a tag inside a section
        /// on the same name: the template works without the value, so it is not required.
        var optional = false
    }

    struct Tags {
        var tags: [Tag] = []
        /// Sections opened and not closed, innermost last.
        var unclosed: [Tag] = []
    }

    /// Finds `{{name}}`, `{{{name}}}`, `{{#name}}`, `{{^name}}`, `{{&name}}`, `{{> partial}}`.
    /// Stops at a delimiter change (`{{=`), which a theme is free to use but which this scan
    /// does not follow.
    static func scan(_ text: String, path: String) -> Tags {
        var result = Tags()
        let bytes = Array(text.utf8)
        var i = 0
        var line = 1
        var lineStart = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x0A { line += 1; lineStart = i + 1; i += 1; continue }
            guard bytes[i] == 0x7B, bytes[i + 1] == 0x7B else { i += 1; continue }   // "{{"
            let column = String(decoding: bytes[lineStart..<i], as: UTF8.self).count + 1
            var j = i + 2
            var triple = false
            if j < bytes.count, bytes[j] == 0x7B { triple = true; j += 1 }
            guard let close = find(bytes, [0x7D, 0x7D], from: j) else { break }        // "}}"
            var inner = String(decoding: bytes[j..<close], as: UTF8.self).trimmingWhitespace()
            let location = SourceLocation(path: path, line: line, column: column)
            var kind = Tag.Kind.variable
            var sectionOpener = false
            if !triple, let sigil = inner.first {
                switch sigil {
                case "!": inner = ""
                case "=": return result
                case ">":
                    kind = .partial
                    inner = String(inner.dropFirst()).trimmingWhitespace()
                case "#", "^", "$", "<":
                    inner = String(inner.dropFirst()).trimmingWhitespace()
                    result.unclosed.append(Tag(kind: .variable, name: inner, location: location))
                    if sigil == "#" || sigil == "^" { sectionOpener = true }
                case "&":
                    inner = String(inner.dropFirst()).trimmingWhitespace()
                case "/":
                    let name = String(inner.dropFirst()).trimmingWhitespace()
                    if let open = result.unclosed.lastIndex(where: { $0.name == name }) {
                        result.unclosed.remove(at: open)
                    }
                    inner = ""
                default: break
                }
            }
            // A transform such as `uppercased(name)` applies to the name inside.
            if let open = inner.firstIndex(of: "("), inner.hasSuffix(")") {
                inner = String(inner[inner.index(after: open)..<inner.index(before: inner.endIndex)])
            }
            if !inner.isEmpty {
                let optional = sectionOpener || result.unclosed.contains { $0.name == inner }
                result.tags.append(Tag(kind: kind, name: inner, location: location, optional: optional))
            }
            // Skip the closing "}}" (and the third "}" of a triple mustache).
            i = close + 2 + (triple && close + 2 < bytes.count && bytes[close + 2] == 0x7D ? 1 : 0)
        }
        return result
    }

    private static func find(_ bytes: [UInt8], _ needle: [UInt8], from start: Int) -> Int? {
        var k = start
        while k + needle.count <= bytes.count {
            if bytes[k] == needle[0], bytes[k + 1] == needle[1] { return k }
            if bytes[k] == 0x0A { return nil }   // tags do not span lines in our themes
            k += 1
        }
        return nil
    }

    static func describe(_ error: Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "a section is closed with a different name than it was opened with"
        case .unfinishedName: return "a tag is not finished (missing '}}')"
        case .expectedSectionEnd: return "a section is opened but never closed"
        case .invalidSetDelimiter: return "a delimiter change is badly formed"
        default: return "\(error)"
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
