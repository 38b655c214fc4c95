import Foundation

/// One language of the site, as listed in site.yaml.
public struct Language: Sendable, Hashable {
    /// Folder under content/ and first URL segment, e.g. `zh-hans`.
    public var key: String
    /// BCP 47 tag for `lang` and `hreflang`, e.g. `zh-Hans`.
    public var tag: String
    /// The language's name in its own script, e.g. `简体中文`.
    public var name: String

    public init(key: String, tag: String, name: String) {
        self.key = key
        self.tag = tag
        self.name = name
    }
}

/// What a page missing in a language gets.
public enum FallbackPolicy: String, Sendable {
    case source, omit
}

/// The contents of site.yaml, checked. Every key is documented in docs/site-and-pages.md.
public struct SiteConfig: Sendable {
    public var title: String
    /// Always ends with `/` when set.
    public var baseURL: String?
    public var languages: [Language]
    public var sourceLanguage: Language
    public var fallback: FallbackPolicy
    /// Keep raw HTML and every link scheme in Markdown (cmark's unsafe mode).
    public var unsafeHTML: Bool
    /// Show readers of a stale translation a notice linking to the up-to-date source page.
    public var staleNotice: Bool
    /// How pages marked `pamphlet: true` are printed.
    public var pamphlets = PamphletConfig()
    /// Where the quick-exit button on every page leads: a neutral site (issue #5).
    public var quickExitURL = SiteConfig.defaultQuickExitURL
    /// Build a search index per language and show the search page (issue #5).
    public var search = true
    /// Write the offline page, its list of files and the service worker it registers on request (issue #5).
    public var offline = true
    /// Also write `_headers` and `.htaccess` with the pages' Content-Security-Policy and other
    /// security headers, for hosts that read them.
    public var securityHeaders = false
    /// Every page's page-weight budget in KB gzipped (`weight_budget_kb`), instead of 14.
    public var weightBudgetKB: Int?
    /// How many months a contact block's `checked:` date stays good (`contact_check_months`);
    /// 0: never warn.
    public var contactCheckMonths = 6
    /// Show readers when each contact's numbers were last checked (`show_contact_checked`).
    public var showContactChecked = false

    /// A weather site: ordinary to have open, and it says nothing about what the reader was reading.
    public static let defaultQuickExitURL = "https://www.theweathernetwork.com/"

    public static let fileName = "site.yaml"
    public static let keys = ["title", "base_url", "source_language", "languages", "fallback", "unsafe_html",
                              "stale_notice", "pamphlets", "quick_exit_url", "search", "offline",
                              "security_headers", "weight_budget_kb", "contact_check_months", "show_contact_checked"]
    static let languageKeys = ["key", "tag", "name"]

    public init(title: String, baseURL: String? = nil, languages: [Language], sourceLanguage: Language? = nil,
                fallback: FallbackPolicy = .source, unsafeHTML: Bool = false, staleNotice: Bool = true) {
        self.title = title
        self.baseURL = baseURL
        self.languages = languages
        self.sourceLanguage = sourceLanguage ?? languages[0]
        self.fallback = fallback
        self.unsafeHTML = unsafeHTML
        self.staleNotice = staleNotice
    }

    public func language(key: String) -> Language? { languages.first { $0.key == key } }

    /// Loads `site.yaml` from the site folder; every problem goes to `diagnostics`.
    public static func load(siteFolder: URL, diagnostics: DiagnosticsEngine) -> SiteConfig? {
        let url = siteFolder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            diagnostics.error(SourceLocation(path: fileName),
                "no site.yaml in \(siteFolder.path); create one with 'title' and 'languages' (see Monarch's docs/site-and-pages.md)")
            return nil
        }
        switch TextFile.read(url) {
        case .failure(let failure):
            diagnostics.emit(failure.diagnostic(path: fileName))
            return nil
        case .success(let text):
            return parse(text, diagnostics: diagnostics)
        }
    }

    public static func parse(_ text: String, diagnostics: DiagnosticsEngine) -> SiteConfig? {
        guard let map = YAMLMapping.parse(text, path: fileName, diagnostics: diagnostics) else { return nil }
        map.rejectUnknownKeys(allowed: keys, kind: "site.yaml", diagnostics: diagnostics)
        let top = SourceLocation(path: fileName, line: 1, column: 1)

        let title = map.string("title", diagnostics: diagnostics)
        if map["title"] == nil {
            diagnostics.error(top, "site.yaml has no 'title'; add 'title: Your Network Name'")
        }

        var baseURL = map.string("base_url", diagnostics: diagnostics)
        if let value = baseURL, let entry = map["base_url"] {
            let parts = URLComponents(string: value)
            if !(value.hasPrefix("https://") || value.hasPrefix("http://")) || URL(string: value)?.host == nil {
                diagnostics.error(map.location(of: entry.value),
                    "base_url '\(value)' is not an absolute http(s) address; write it like 'https://example.org/'")
                baseURL = nil
            } else if parts?.user != nil || parts?.password != nil || value.contains("@") {
                // Every page, the sitemap and each QR code would carry the password.
                diagnostics.error(map.location(of: entry.value),
                    "base_url must not hold a user name or password (they would be published in every page and QR code); write only the site's address, like 'https://example.org/'")
                baseURL = nil
            } else if value.contains("?") || value.contains("#") {
                diagnostics.error(map.location(of: entry.value),
                    "base_url must not have a query ('?') or fragment ('#'): page addresses are added after it; write only the site's address, like 'https://example.org/resources/'")
                baseURL = nil
            } else if !value.hasSuffix("/") {
                baseURL = value + "/"
            }
        }

        let languages = parseLanguages(map, diagnostics: diagnostics)

        var source = languages.first
        if let key = map.string("source_language", diagnostics: diagnostics), let entry = map["source_language"] {
            source = languages.first { $0.key == key }
            if source == nil, !languages.isEmpty {
                diagnostics.error(map.location(of: entry.value),
                    "source_language '\(key)' is not in languages\(Suggestion.hint(for: key, in: languages.map(\.key)))")
            }
        }

        var fallback = FallbackPolicy.source
        if let value = map.string("fallback", diagnostics: diagnostics), let entry = map["fallback"] {
            if let policy = FallbackPolicy(rawValue: value) {
                fallback = policy
            } else {
                diagnostics.error(map.location(of: entry.value),
                    "fallback '\(value)' is not 'source' or 'omit'")
            }
        }
        let unsafeHTML = map.bool("unsafe_html", diagnostics: diagnostics) ?? false
        let staleNotice = map.bool("stale_notice", diagnostics: diagnostics) ?? true

        var pamphlets = PamphletConfig()
        if let entry = map["pamphlets"] {
            pamphlets = PamphletConfig.parse(entry, in: map, diagnostics: diagnostics)
            if let key = pamphlets.bilingual, !languages.contains(where: { $0.key == key }), let value = map.location(ofKey: "pamphlets") {
                diagnostics.error(value, "pamphlets: bilingual '\(key)' is not a language key\(Suggestion.hint(for: key, in: languages.map(\.key)))")
            }
        }
        var quickExitURL = parseQuickExitURL(map, diagnostics: diagnostics)
        if let base = baseURL, let entry = map["quick_exit_url"],
           URL(string: quickExitURL)?.host?.lowercased() == URL(string: base)?.host?.lowercased() {
            diagnostics.error(map.location(of: entry.value),
                "quick_exit_url '\(quickExitURL)' is on this site's own host; it must lead away, to a neutral site like '\(defaultQuickExitURL)'")
            quickExitURL = defaultQuickExitURL
        }
        let search = map.bool("search", diagnostics: diagnostics) ?? true
        let offline = map.bool("offline", diagnostics: diagnostics) ?? true
        let securityHeaders = map.bool("security_headers", diagnostics: diagnostics) ?? false
        var weightBudgetKB = map.int("weight_budget_kb", diagnostics: diagnostics)
        if let value = weightBudgetKB, !(1...10_000).contains(value), let entry = map["weight_budget_kb"] {
            diagnostics.error(map.location(of: entry.value),
                "'weight_budget_kb' is \(value); give the budget in KB gzipped, from 1 to 10000 (the default is 14)")
            weightBudgetKB = nil
        }
        for pair in pamphlets.walletCards {
            for key in [pair.front, pair.back] where !languages.contains(where: { $0.key == key }) {
                diagnostics.error(pair.location, "pamphlets: wallet_cards names '\(key)', which is not a language key\(Suggestion.hint(for: key, in: languages.map(\.key)))")
            }
        }
        guard let title, let source, !languages.isEmpty else { return nil }
        var config = SiteConfig(title: title, baseURL: baseURL, languages: languages, sourceLanguage: source,
                                fallback: fallback, unsafeHTML: unsafeHTML, staleNotice: staleNotice)
        config.pamphlets = pamphlets
        config.quickExitURL = quickExitURL
        config.search = search
        config.offline = offline
        config.securityHeaders = securityHeaders
        config.weightBudgetKB = weightBudgetKB
        if let months = map.int("contact_check_months", diagnostics: diagnostics) {
            if (0...120).contains(months) {
                config.contactCheckMonths = months
            } else if let entry = map["contact_check_months"] {
                diagnostics.error(map.location(of: entry.value),
                    "'contact_check_months' is \(months); give how many months a contact's 'checked:' date stays good, from 1 to 120 (0: never warn; the default is 6)")
            }
        }
        config.showContactChecked = map.bool("show_contact_checked", diagnostics: diagnostics) ?? false
        return config
    }

    /// `quick_exit_url`: an absolute http(s) address of another, neutral site.
    private static func parseQuickExitURL(_ map: YAMLMapping, diagnostics: DiagnosticsEngine) -> String {
        guard let value = map.string("quick_exit_url", diagnostics: diagnostics), let entry = map["quick_exit_url"] else {
            return defaultQuickExitURL
        }
        let lower = value.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), URL(string: value)?.host?.isEmpty == false,
              !value.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" }) else {
            diagnostics.error(map.location(of: entry.value),
                "quick_exit_url '\(value)' is not an absolute http(s) address; write a neutral site like '\(defaultQuickExitURL)'")
            return defaultQuickExitURL
        }
        return value
    }

    private static func parseLanguages(_ map: YAMLMapping, diagnostics: DiagnosticsEngine) -> [Language] {
        guard let entry = map["languages"] else {
            diagnostics.error(SourceLocation(path: fileName, line: 1, column: 1),
                "site.yaml has no 'languages'; list at least one, e.g. '- {key: en, tag: en, name: English}'")
            return []
        }
        guard case .sequence(let items) = entry.value, !items.isEmpty else {
            diagnostics.error(map.location(of: entry.value), "'languages' must be a list of {key, tag, name}")
            return []
        }
        var languages: [Language] = []
        for item in items {
            guard let lang = YAMLMapping(node: item, path: fileName, lineOffset: 0, diagnostics: diagnostics,
                                         what: "a language") else { continue }
            lang.rejectUnknownKeys(allowed: languageKeys, kind: "language", diagnostics: diagnostics)
            guard let key = lang.string("key", diagnostics: diagnostics), !key.isEmpty else {
                diagnostics.error(lang.location, "a language needs a 'key' (its folder under content/)")
                continue
            }
            let keyLocation = lang["key"].map { lang.location(of: $0.value) } ?? lang.location
            if !isLanguageToken(key) {
                diagnostics.error(keyLocation, "language key '\(key)' must be a language code of letters, digits and hyphens, like 'en' or 'zh-hans' (it is a folder and the first part of every address)")
                continue
            }
            if languages.contains(where: { $0.key == key }) {
                diagnostics.error(keyLocation, "language '\(key)' is listed twice; keep one")
                continue
            }
            let tag = lang.string("tag", diagnostics: diagnostics) ?? key
            if !isLanguageToken(tag) {
                let location = lang["tag"].map { lang.location(of: $0.value) } ?? keyLocation
                diagnostics.error(location, "language tag '\(tag)' is not a BCP 47 tag like 'en', 'zh-Hans' or 'th'; fix it")
                continue
            }
            guard let name = lang.string("name", diagnostics: diagnostics) else {
                diagnostics.error(lang.location, "language '\(key)' needs a 'name' in its own script")
                continue
            }
            languages.append(Language(key: key, tag: tag, name: name))
        }
        return languages
    }

    /// A BCP 47-like token: subtags of 1 to 8 ASCII letters or digits joined by hyphens, the
    /// first of letters (`en`, `zh-hans`, `zh-Hant-TW`, `x-klingon`).
    static func isLanguageToken(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, first.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic }) else { return false }
        return parts.allSatisfy { part in
            (1...8).contains(part.count) && part.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
        }
    }
}
