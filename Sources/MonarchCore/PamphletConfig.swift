import Yams

/// The `pamphlets:` section of site.yaml: how marked pages are printed.
public struct PamphletConfig: Sendable, Hashable {
    /// A booklet of several pages, one per language, for the outreach bag.
    public struct Kit: Sendable, Hashable {
        public var name: String
        /// Page paths as in content/<key>/, without `.md` (`help/hotlines`).
        public var pages: [String]
        public var location: SourceLocation
    }

    public var paper: PaperSize = .letter
    /// Also write each pamphlet imposed for saddle stitching.
    public var booklet = false
    /// Also write each pamphlet side by side with this language (a key), for every other language.
    public var bilingual: String?
    public var kits: [Kit] = []
    /// Wallet cards of a language pair: every contact block in `front`, its translation in
    /// `back` on the back sheet (`<front>/wallet-cards.<front>-<back>.pdf`).
    public struct WalletCards: Sendable, Hashable {
        public var front: String
        public var back: String
        public var location: SourceLocation
    }
    public var walletCards: [WalletCards] = []

    public init() {}

    static let keys = ["paper", "booklet", "bilingual", "kits", "wallet_cards"]

    static func parse(_ entry: YAMLMapping.Entry, in parent: YAMLMapping, diagnostics: DiagnosticsEngine) -> PamphletConfig {
        var config = PamphletConfig()
        guard let map = YAMLMapping(node: entry.value, path: SiteConfig.fileName, lineOffset: 0,
                                    diagnostics: diagnostics, what: "'pamphlets'") else { return config }
        map.rejectUnknownKeys(allowed: keys, kind: "pamphlets", diagnostics: diagnostics)
        if let paper = map.string("paper", diagnostics: diagnostics), let paperEntry = map["paper"] {
            if let value = PaperSize(rawValue: paper.lowercased()) {
                config.paper = value
            } else {
                diagnostics.error(map.location(of: paperEntry.value), "paper '\(paper)' is not 'letter' or 'a4'")
            }
        }
        config.booklet = map.bool("booklet", diagnostics: diagnostics) ?? false
        config.bilingual = map.string("bilingual", diagnostics: diagnostics)
        if let cards = map["wallet_cards"] {
            config.walletCards = parseWalletCards(cards, in: map, diagnostics: diagnostics)
        }
        if let kitsEntry = map["kits"] {
            guard case .sequence(let items) = kitsEntry.value else {
                diagnostics.error(map.location(of: kitsEntry.value), "'kits' must be a list of {name, pages}")
                return config
            }
            for item in items {
                guard let kit = YAMLMapping(node: item, path: SiteConfig.fileName, lineOffset: 0,
                                            diagnostics: diagnostics, what: "a kit") else { continue }
                kit.rejectUnknownKeys(allowed: ["name", "pages"], kind: "kit", diagnostics: diagnostics)
                guard let name = kit.string("name", diagnostics: diagnostics), !name.isEmpty,
                      name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                    diagnostics.error(kit.location, "a kit needs a 'name' made of letters, digits and '-' (it names the PDF)")
                    continue
                }
                var pages: [String] = []
                if case .sequence(let list)? = kit["pages"]?.value {
                    pages = list.compactMap { $0.scalar?.string }.map { $0.hasSuffix(".md") ? String($0.dropLast(3)) : $0 }
                }
                if pages.isEmpty {
                    diagnostics.error(kit.location, "kit '\(name)' needs 'pages': a list like [police/police-stop, help/hotlines]")
                    continue
                }
                config.kits.append(Kit(name: name, pages: pages, location: kit.location))
            }
        }
        return config
    }

    /// `wallet_cards: [th, en]` (one pair) or `wallet_cards: [[th, en], [ko, en]]` (several):
    /// front language, back language.
    static func parseWalletCards(_ entry: YAMLMapping.Entry, in map: YAMLMapping, diagnostics: DiagnosticsEngine) -> [WalletCards] {
        let location = map.location(of: entry.value)
        let usage = "'wallet_cards' must be a pair of language keys, front then back, like [th, en], or a list of pairs like [[th, en], [ko, en]]"
        guard let items = entry.value.sequence, !items.isEmpty else {
            diagnostics.error(location, usage)
            return []
        }
        func pair(_ nodes: [Node], at location: SourceLocation) -> WalletCards? {
            let keys = nodes.compactMap { $0.scalar?.string }
            guard nodes.count == 2, keys.count == 2 else {
                diagnostics.error(location, usage)
                return nil
            }
            if keys[0] == keys[1] {
                diagnostics.error(location, "wallet_cards pair [\(keys[0]), \(keys[1])] has the same language on both sides; name two languages")
                return nil
            }
            return WalletCards(front: keys[0], back: keys[1], location: location)
        }
        if items.allSatisfy({ $0.scalar != nil }) {
            return pair(Array(items), at: location).map { [$0] } ?? []
        }
        var result: [WalletCards] = []
        for item in items {
            let itemLocation = map.location(of: item)
            guard let nodes = item.sequence else {
                diagnostics.error(itemLocation, usage)
                continue
            }
            if let p = pair(Array(nodes), at: itemLocation) {
                if result.contains(where: { $0.front == p.front && $0.back == p.back }) {
                    diagnostics.error(itemLocation, "wallet_cards lists [\(p.front), \(p.back)] twice; keep one")
                } else {
                    result.append(p)
                }
            }
        }
        return result
    }
}
