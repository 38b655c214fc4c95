import Foundation
import MonarchContent
import MonarchCore
import MonarchMarkdown
import MonarchPrint

/// Wallet cards for each pair of site.yaml's `pamphlets: wallet_cards` (issue #5).
///
/// Which contacts: every contact block of every page in the front language (not fallback
/// pages), pages in path order, blocks in the order of the page. The back of each card is the
/// contact block at the same place (the n-th block of the same page) in the page's
/// translation into the back language; when there is none, the back is blank and the build
/// warns. Written to `<front>/wallet-cards.<front>-<back>.pdf`.
struct WalletCardBuilder {
    let graph: SiteGraph
    let siteFolder: URL
    let strings: [String: [String: String]]

    static func path(front: String, back: String) -> String { "\(front)/wallet-cards.\(front)-\(back).pdf" }

    func render(diagnostics: DiagnosticsEngine) -> [(path: String, data: Data)] {
        let config = graph.config
        let options = PamphletOptions(paper: config.pamphlets.paper, creationDate: creationDate())
        var files: [(path: String, data: Data)] = []
        for pair in config.pamphlets.walletCards {
            guard let front = config.language(key: pair.front), let back = config.language(key: pair.back) else { continue }
            var cards: [WalletCard] = []
            for path in graph.paths {
                guard let entry = graph.entry(languageKey: front.key, path: path), !entry.isFallback else { continue }
                let contacts = Contact.contacts(in: entry.page, diagnostics: DiagnosticsEngine())
                guard !contacts.isEmpty else { continue }
                var backs: [Contact] = []
                if let other = graph.entry(languageKey: back.key, path: path), !other.isFallback {
                    backs = Contact.contacts(in: other.page, diagnostics: DiagnosticsEngine())
                }
                for (i, contact) in contacts.enumerated() {
                    let location = entry.page.location(contact.position)
                    if i >= backs.count {
                        diagnostics.warning(location,
                            "wallet cards \(front.key)-\(back.key): contact '\(contact.name)' has no \(back.key) counterpart (contact block \(i + 1) of \(back.key)'s page \(path)), so its card's back is blank; translate the page or add the block")
                    }
                    cards.append(WalletCard(front: contact.printed(labels: strings[front.key] ?? [:]),
                                            back: i < backs.count ? backs[i].printed(labels: strings[back.key] ?? [:]) : nil,
                                            sourcePath: location.path, line: location.line, column: location.column))
                }
            }
            guard !cards.isEmpty else {
                diagnostics.warning(pair.location,
                    "wallet_cards [\(front.key), \(back.key)]: no page in \(front.key) has a contact block, so no cards are made; add ```contact blocks")
                continue
            }
            let title = (strings[front.key]?["title"] ?? config.title)
            switch WalletCards.render(cards, frontTag: front.tag, backTag: back.tag, title: title, author: title, options: options) {
            case .success(let data): files.append((Self.path(front: front.key, back: back.key), data))
            case .failure(let problems):
                for problem in problems {
                    diagnostics.error(problem.location, problem.message)
                }
            }
        }
        return files
    }

    private func creationDate() -> Date { BuildDate.creation() }
}
