import Mustache

/// A text value as templates get it: renders, escapes, tests and transforms as a `String`
/// does (`{{title}}`, `{{{title}}}`, `{{#title}}`, `{{lowercase(title)}}`), for less work.
///
/// swift-mustache asks each value it renders what it is, one protocol after another:
/// a template? custom renderable? a lambda? an optional? then `String(describing:)`. A plain
/// `String` fails four of those casts on every `{{value}}`; this type answers the second.
/// Inside `{{#title}}...{{/title}}` it is on the context stack, where a `String` is searched
/// through `Mirror` for every name looked up; this type says at once that it has no children.
/// Conformance lookups and casts were a fifth of a 5,000-page build's time (issue #7).
struct TemplateText: MustacheCustomRenderable, MustacheParent, MustacheTransformable, Sendable {
    let text: String

    init(_ text: String) { self.text = text }

    var renderText: String { text }
    var isNull: Bool { false }
    func child(named: String) -> Any? { nil }
    func transform(_ name: String) -> Any? { text.transform(name) }

    /// A value for a template: an empty text is `false`, so that `{{#description}}` shows only
    /// when there is one, and a nested list never falls through to an outer value of the
    /// same name.
    static func value(_ text: String) -> Any { text.isEmpty ? false : TemplateText(text) }

    /// A table of texts (the interface strings, `t`), each one a `TemplateText`.
    static func table(_ strings: [String: String]) -> [String: TemplateText] {
        strings.mapValues(TemplateText.init)
    }
}
