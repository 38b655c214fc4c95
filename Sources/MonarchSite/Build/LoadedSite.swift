import Foundation
import MonarchContent
import MonarchCore

/// A site's inputs as the first step loads them (config, theme, strings, content, graph), and
/// what every later step derives from them once. A quick rebuild assembles one from the build
/// cache's summaries and the few pages it reads again (`QuickRebuild`).
struct LoadedSite {
    let config: SiteConfig
    let theme: Theme
    /// The SHA-256 of everything the theme was loaded from (the preview's page keys); "" without a memo.
    let themeDigest: String
    /// Interface strings by language key, resolved against the theme's keys.
    let strings: [String: [String: String]]
    let content: Content
    let graph: SiteGraph
    /// The files under static/ (relative paths); none in a quick rebuild, which copies nothing.
    let staticFiles: [String]
    let resolver: LinkResolver
    let context: TemplateContext

    init(config: SiteConfig, theme: Theme, themeDigest: String = "", strings: [String: [String: String]],
         content: Content, graph: SiteGraph, staticFiles: [String] = [], siteFolder: URL? = nil) {
        self.config = config
        self.theme = theme
        self.themeDigest = themeDigest
        self.strings = strings
        self.content = content
        self.graph = graph
        self.staticFiles = staticFiles
        resolver = LinkResolver(graph: graph, assets: content.assets.mapValues(Set.init), siteFolder: siteFolder)
        context = TemplateContext(graph: graph, strings: strings)
    }

    /// Every page of every language.
    var pages: [Page] { content.pages.values.flatMap { $0 } }

    /// Whether the site prints anything: a page marked `pamphlet: true`, or a kit.
    var hasPamphlets: Bool {
        graph.allEntries.contains { $0.page.frontMatter.pamphlet } || !config.pamphlets.kits.isEmpty
    }
}
