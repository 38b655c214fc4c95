import Foundation
import MonarchContent
import MonarchCore

/// What `monarch init` writes: a small site that builds with no warning and passes
/// `monarch check --strict`, in the languages asked for.
public struct StarterSite: Sendable {
    public struct Language: Sendable, Equatable {
        /// The folder under `content/`: the tag in lower case.
        public var key: String
        public var tag: String
        public var name: String
        /// Whether the built-in theme has interface strings and starter pages in it.
        public var known: Bool
    }

    public let languages: [Language]
    public let ci: PublishWorkflow.Host?

    public init(languages: [Language], ci: PublishWorkflow.Host? = nil) {
        self.languages = languages
        self.ci = ci
    }

    /// `en,zh-hans,...`: BCP 47 tags, the first the source language. Throws a message for a
    /// tag that is not one, or one given twice.
    public static func languages(from list: String) throws(StarterError) -> [Language] {
        var result: [Language] = []
        for part in list.split(separator: ",", omittingEmptySubsequences: false) {
            let tag = part.trimmingCharacters(in: .whitespaces)
            guard isLanguageTag(tag) else {
                throw StarterError("'\(tag)' is not a BCP 47 language tag; give tags like en, zh-hans, ko, th or pt-BR, separated by commas")
            }
            let key = tag.lowercased()
            guard !result.contains(where: { $0.key == key }) else {
                throw StarterError("'\(tag)' is given twice; name each language once")
            }
            if let text = StarterText.byLanguage[key] {
                result.append(Language(key: key, tag: canonicalTags[key] ?? tag, name: text.name, known: true))
            } else {
                result.append(Language(key: key, tag: tag, name: ownName(of: tag), known: false))
            }
        }
        return result
    }

    static let canonicalTags = ["zh-hans": "zh-Hans", "zh-hant": "zh-Hant"]

    /// A language subtag of 2 to 3 letters, then subtags of 1 to 8 letters or digits: the
    /// shape of a BCP 47 tag, enough to make a folder name and a `lang` attribute of it.
    static func isLanguageTag(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count),
              first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { part in
            (1...8).contains(part.count) && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
    }

    /// The language's name in itself, as ICU knows it (`fr` -> `français`), else the tag.
    static func ownName(of tag: String) -> String {
        let locale = Locale(identifier: tag)
        guard let name = locale.localizedString(forIdentifier: tag), !name.isEmpty, name != tag else { return tag }
        return name.prefix(1).uppercased(with: locale) + name.dropFirst()
    }

    public var source: Language { languages[0] }
    /// The languages with no built-in strings, in the order given.
    public var unknown: [Language] { languages.filter { !$0.known } }

    /// The one warning for languages without built-in strings, or nil.
    public func unknownLanguagesWarning() -> String? {
        let unknown = unknown
        guard !unknown.isEmpty else { return nil }
        let keys = unknown.map(\.key)
        let files = keys.map { "translations/\($0).yaml" }.joined(separator: ", ")
        var message = "Monarch has no interface strings or starter pages in \(keys.joined(separator: ", ")): "
            + "\(files) \(keys.count == 1 ? "is a copy" : "are copies") of the \(stringsLanguage.name) strings to translate"
        if source.known {
            message += ", and the \(source.name) pages say 'untranslated: [\(keys.joined(separator: ", "))]' until you translate them "
                + "(monarch new PATH --lang \(keys[0]) --translate-from \(source.key))"
        } else {
            message += ", and the \(source.key) pages hold English placeholder text to replace"
        }
        if languages.contains(where: { !$0.known && $0.name == $0.tag }) {
            message += "; check each language's name in site.yaml"
        }
        return message
    }

    /// The language whose built-in strings and pages stand in for a language without them:
    /// the source language, or English when the source has none either.
    var stringsLanguage: Language {
        source.known ? source : Language(key: "en", tag: "en", name: "English", known: true)
    }

    /// Every file, by path relative to the new site folder. `builtInStrings` reads a built-in
    /// `translations/<key>.yaml` (the copies for languages without strings are made from it).
    public func files(builtInStrings: (String) -> String?) -> [(path: String, text: String)] {
        var files: [(String, String)] = [("site.yaml", siteYAML()), (".gitignore", gitignore)]
        let sourceText = StarterText.byLanguage[stringsLanguage.key]!
        let untranslated = source.known ? unknown.map(\.key) : []
        func file(_ page: StarterText.Page, weight: Int, extra: String) -> String {
            "---\ntitle: \(JSONString.quoted(page.title))\ndescription: \(JSONString.quoted(page.description))\n"
                + "weight: \(weight)\n\(extra)---\n\n\(page.body)\n"
        }
        // The source pages first: each translation records the version it translates.
        var sourceFiles: [String: String] = [:]
        let sourcePages = (StarterText.byLanguage[source.key] ?? sourceText).pages
        for (path, weight, page) in sourcePages {
            let extra = untranslated.isEmpty ? "" : "untranslated: [\(untranslated.joined(separator: ", "))]\n"
            sourceFiles[path] = file(page, weight: weight, extra: extra)
            files.append(("content/\(source.key)/\(path).md", sourceFiles[path]!))
        }
        for language in languages where language != source && language.known {
            for (path, weight, page) in StarterText.byLanguage[language.key]!.pages {
                let hash = SourceHash.of(body: FrontMatter.split(sourceFiles[path]!).body)
                files.append(("content/\(language.key)/\(path).md", file(page, weight: weight, extra: "source_hash: \(hash)\n")))
            }
        }
        for language in unknown where language != source || !source.known {
            guard let strings = builtInStrings(stringsLanguage.key) else { continue }
            let kept = strings.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
                !InterfaceStrings.exampleSiteKeys.contains { line.hasPrefix($0 + ":") }
            }
            files.append(("translations/\(language.key).yaml",
                          "# \(language.name) (\(language.tag)): the \(stringsLanguage.name) interface strings, to translate.\n"
                          + kept.joined(separator: "\n")))
        }
        if let ci { files.append((ci.path, PublishWorkflow.text(for: ci))) }
        return files
    }

    let gitignore = """
        # What monarch build writes: made again from the sources by every build.
        /public/
        # monarch itself, as the publishing workflow unpacks it.
        /.monarch/

        """

    func siteYAML() -> String {
        let title = (StarterText.byLanguage[source.key] ?? StarterText.english).siteTitle
        let languageLines = languages.map { "  - {key: \($0.key), tag: \($0.tag), name: \(JSONString.quoted($0.name))}" }
        return """
            # This site's settings. Every key Monarch knows is here: the ones starting with '#'
            # are optional and show their default. Monarch's docs/site-and-pages.md explains each.

            # The site's name; translations/<key>.yaml may give it per language ('title:').
            title: \(JSONString.quoted(title))

            # The site's address once published, ending in '/': needed for sitemap.xml and for
            # the QR codes on pamphlets. Set it when you know where the site will live.
            # base_url: https://example.org/

            # The language pages are first written in, and translated from.
            source_language: \(source.key)

            # Each language: its folder under content/ (key), its BCP 47 tag (tag) and its name in
            # its own script (name). This order is the order of the language switcher.
            languages:
            \(languageLines.joined(separator: "\n"))

            # What readers of a language get for a page not translated into it: 'source' (the
            # source language's page, with a notice) or 'omit' (no page).
            fallback: source

            # Where the "Exit this page" button leads: a neutral site, never this one.
            # quick_exit_url: https://www.theweathernetwork.com/

            # Tell readers of a translation when its source page has changed since.
            # stale_notice: true

            # A search box on content/<key>/search.md; the search runs on the reader's device.
            # search: true

            # An offline page and a service worker: pages read once stay readable offline.
            # offline: true

            # Also write _headers (Netlify, Cloudflare Pages) and .htaccess (Apache) with strict
            # security headers.
            # security_headers: false

            # Every page's weight budget, in KB gzipped; a page over it is a warning.
            # weight_budget_kb: 14

            # A contact block whose 'checked:' date is older than this many months is a warning
            # (0: never).
            # contact_check_months: 6

            # Show readers the day each contact's numbers were last checked.
            # show_contact_checked: false

            # Keep raw HTML and every link scheme from Markdown: only if every editor is trusted.
            # unsafe_html: false

            # Printable PDFs of the pages whose front matter says 'pamphlet: true'
            # (docs/pamphlets.md).
            # pamphlets:
            #   paper: letter            # letter or a4
            #   booklet: false           # true: also a booklet to fold and staple
            #   bilingual: \(source.key)             # also each language beside this one
            #   wallet_cards: [[\(languages.last!.key), \(source.key)]]   # front language, back language
            #   kits:                    # several pages in one booklet per language
            #     - name: outreach-bag
            #       pages: [help/contacts, safety]

            """
    }
}

public struct StarterError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
