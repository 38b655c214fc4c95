import MonarchCore

/// `sitemap.xml` with `xhtml:link` alternates: every real translation of every page, each
/// listing all its translations and the language chooser as `x-default`. Fallback pages are
/// left out: they are not translations.
enum Sitemap {
    static func render(graph: SiteGraph, baseURL: String) -> String {
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">

        """
        xml += "  <url>\n    <loc>\(escape(baseURL))</loc>\n  </url>\n"
        // One language on each core: written on one, the sitemap held the other one idle.
        xml += ParallelMap.map(graph.config.languages) { language -> String in
            var part = ""
            for path in graph.paths {
                guard let entry = graph.entry(languageKey: language.key, path: path), !entry.isFallback else { continue }
                part += "  <url>\n    <loc>\(escape(baseURL + PercentEncoding.uriPath(entry.folder)))</loc>\n"
                for alternate in graph.translations[path] ?? [] {
                    part += "    <xhtml:link rel=\"alternate\" hreflang=\"\(escape(alternate.language.tag))\" href=\"\(escape(baseURL + PercentEncoding.uriPath(alternate.folder)))\"/>\n"
                }
                part += "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"\(escape(baseURL))\"/>\n  </url>\n"
            }
            return part
        }.joined()
        return xml + "</urlset>\n"
    }

    /// XML text and attribute escaping: the templates' escaper (`&#39;` for `'` is as good in
    /// XML as `&apos;`).
    static func escape(_ text: String) -> String {
        TemplateHTML.escape(text)
    }
}
