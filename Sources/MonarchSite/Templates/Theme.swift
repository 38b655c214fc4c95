import Foundation
import MonarchCore
import Mustache

/// The templates and assets a site is rendered with: the site's own `templates/` laid over the
/// built-in default theme (the Monarch repository's `templates/`), file by file.
public struct Theme: Sendable {
    public static let pageTemplate = "page"
    public static let chooserTemplate = "chooser"
    public static let notFoundTemplate = "404"

    public let library: MustacheLibrary
    /// Assets to copy: output path under `assets/` -> file.
    public let assets: [(path: String, url: URL)]
    /// Every `{{t.key}}` the templates use, with the first place it is used.
    public let interfaceKeys: [(key: String, usedAt: SourceLocation)]
    /// Every `{{t.key}}` the templates show only inside a section on itself (`footer_note`):
    /// no error when the source language lacks it; a translation that lacks it gets the
    /// source language's text, with a warning, as for any other key.
    public let optionalInterfaceKeys: [String]

    /// Loads and checks the templates; problems go to `diagnostics`.
    public static func load(siteFolder: URL, builtIn: URL?, diagnostics: DiagnosticsEngine) -> Theme {
        var sources: [String: (url: URL, display: String)] = [:]   // template name -> file
        var assets: [String: URL] = [:]
        let layers: [(URL, String)] = [
            builtIn.map { ($0.appendingPathComponent("templates"), "<built-in>/templates") },
            (siteFolder.appendingPathComponent("templates"), "templates"),
        ].compactMap { $0 }
        for (folder, display) in layers {
            let own = display == "templates"
            for relative in FileList.files(in: folder, site: own ? siteFolder : nil, display: display,
                                           diagnostics: own ? diagnostics : nil) {
                if relative.hasPrefix("assets/") {
                    assets[relative] = folder.appendingPathComponent(relative)
                } else if relative.hasSuffix(".mustache") {
                    var name = String(relative.dropLast(".mustache".count))
                    if name.hasPrefix("partials/") { name = String(name.dropFirst("partials/".count)) }
                    sources[name] = (folder.appendingPathComponent(relative), "\(display)/\(relative)")
                }
            }
        }
        _ = TemplateHTML.registered
        var library = MustacheLibrary()
        var keys: [(String, SourceLocation)] = []
        var optionalKeys = Set<String>()
        var checks: [(String, TemplateCheck.Tags)] = []
        for name in sources.keys.sorted() {
            let (url, display) = sources[name]!
            guard case .success(let text) = TextFile.read(url) else {
                if case .failure(let failure) = TextFile.read(url) { diagnostics.emit(failure.diagnostic(path: display)) }
                continue
            }
            do {
                // The pragma line is dropped by the parser; errors count lines without it.
                let template = try MustacheTemplate(string: TemplateHTML.pragma + text)
                library.register(template, named: name)
            } catch let error as MustacheTemplate.ParserError {
                // The parser stops at the end of the file for a section never closed: point
                // at the section's opening tag instead.
                if case .expectedSectionEnd = error.error as? MustacheTemplate.Error,
                   let open = TemplateCheck.scan(text, path: display).unclosed.last {
                    diagnostics.error(open.location,
                        "template syntax error: section '\(open.name)' is opened here and never closed; add {{/\(open.name)}} where it ends")
                } else {
                    diagnostics.error(SourceLocation(path: display, line: max(1, error.context.lineNumber - 1),
                                                     column: error.context.columnNumber),
                                      "template syntax error: \(TemplateCheck.describe(error.error)); check the {{...}} tags here")
                }
                continue
            } catch {
                diagnostics.error(SourceLocation(path: display), "template syntax error: \(error)")
                continue
            }
            checks.append((display, TemplateCheck.scan(text, path: display)))
        }
        for required in [pageTemplate, chooserTemplate, notFoundTemplate] where sources[required] == nil {
            diagnostics.error(SourceLocation(path: "templates/\(required).mustache"),
                "template '\(required).mustache' not found in the site or the built-in theme; reinstall monarch or add the file")
        }
        for (_, tags) in checks {
            for tag in tags.tags {
                switch tag.kind {
                case .partial:
                    if sources[tag.name] == nil {
                        diagnostics.error(tag.location,
                            "template includes partial '\(tag.name)', which does not exist; add templates/partials/\(tag.name).mustache\(Suggestion.hint(for: tag.name, in: Array(sources.keys)).replacingOccurrences(of: "; expected one of", with: " (templates"))")
                    }
                case .variable:
                    let parts = tag.name.split(separator: ".").map(String.init)
                    guard let first = parts.first, tag.name != "." else { continue }
                    if first == "t", parts.count >= 2 {
                        if tag.optional {
                            optionalKeys.insert(parts[1])
                        } else {
                            keys.append((parts[1], tag.location))
                        }
                    } else if !TemplateCheck.variables.contains(first) {
                        diagnostics.error(tag.location,
                            "template asks for '\(tag.name)', which monarch does not provide\(Suggestion.hint(for: first, in: TemplateCheck.variables.sorted())) (Monarch's docs/templates.md lists every template variable)")
                    }
                }
            }
        }
        var seen = Set<String>()
        let interfaceKeys = keys.filter { seen.insert($0.0).inserted }
        return Theme(library: library,
                     assets: assets.keys.sorted().map { ($0, assets[$0]!) },
                     interfaceKeys: interfaceKeys,
                     optionalInterfaceKeys: optionalKeys.subtracting(seen).sorted())
    }

    init(library: MustacheLibrary, assets: [(path: String, url: URL)], interfaceKeys: [(key: String, usedAt: SourceLocation)],
         optionalInterfaceKeys: [String] = []) {
        self.library = library
        self.assets = assets
        self.interfaceKeys = interfaceKeys
        self.optionalInterfaceKeys = optionalInterfaceKeys
    }

    public func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }

    /// Where the built-in theme (templates/ and translations/) is: `MONARCH_HOME` (for
    /// working on the theme without rebuilding), else the theme the binary carries, unpacked
    /// (EmbeddedTheme); nil only when it could be unpacked nowhere.
    public static func builtInFolder() -> URL? {
        if let home = homeOverride { return home }
        return try? EmbeddedTheme.unpacked.get()
    }

    /// `MONARCH_HOME`, when set.
    static var homeOverride: URL? {
        guard let home = ProcessInfo.processInfo.environment["MONARCH_HOME"], !home.isEmpty else { return nil }
        return URL(fileURLWithPath: home)
    }

    /// Whether `folder` holds a theme (its `templates/page.mustache`).
    static func isTheme(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("templates/page.mustache").path)
    }

    /// The one error of a build whose built-in theme is missing (`MONARCH_HOME` naming the
    /// wrong folder, or nowhere to unpack the carried theme), instead of an error for every
    /// template and string the site then lacks; nil when the theme is there, or when the site
    /// has a whole theme of its own.
    static func missingBuiltIn(_ builtIn: URL?, siteFolder: URL) -> Diagnostic? {
        if let builtIn, isTheme(builtIn) { return nil }
        if isTheme(siteFolder) && FileManager.default.fileExists(atPath: siteFolder.appendingPathComponent("translations").path) {
            return nil
        }
        if let home = homeOverride {
            return .error(SourceLocation(path: "monarch"),
                          "Monarch's built-in theme (templates/ and translations/) was not found: MONARCH_HOME is \(home.path), "
                          + "which has no templates/page.mustache; set MONARCH_HOME to a Monarch source checkout, "
                          + "or unset it to use the theme the binary carries")
        }
        let tried: String
        switch EmbeddedTheme.unpacked {
        case .failure(let failure): tried = failure.message
        case .success(let folder): tried = "\(folder.path) (its files could not be read)"
        }
        return .error(SourceLocation(path: "monarch"),
                      "Monarch's built-in theme could not be unpacked into any of: \(tried); "
                      + "set XDG_CACHE_HOME to a folder you can write, or MONARCH_HOME to a Monarch source checkout")
    }
}
