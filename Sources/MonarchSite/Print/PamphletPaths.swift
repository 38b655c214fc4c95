import MonarchCore

/// Where pamphlets are written: beside the page, named for the page and its language, so a
/// file that travels alone still says what it is (`police-stop.th.pdf`).
enum PamphletPaths {
    static func name(path: String) -> String {
        path.isEmpty ? "home" : String(path.split(separator: "/").last ?? "page")
    }

    /// `th/police/police-stop/police-stop.th.pdf`
    static func pdf(languageKey: String, path: String) -> String {
        SitePaths.pageFolder(languageKey: languageKey, path: path) + "\(name(path: path)).\(languageKey).pdf"
    }

    /// `th/police/police-stop/police-stop.th.booklet.pdf`
    static func booklet(languageKey: String, path: String) -> String {
        SitePaths.pageFolder(languageKey: languageKey, path: path) + "\(name(path: path)).\(languageKey).booklet.pdf"
    }

    /// `th/police/police-stop/police-stop.th-en.pdf`
    static func bilingual(languageKey: String, with other: String, path: String) -> String {
        SitePaths.pageFolder(languageKey: languageKey, path: path) + "\(name(path: path)).\(languageKey)-\(other).pdf"
    }

    /// `kits/outreach-bag.th.pdf`
    static func kit(name: String, languageKey: String) -> String {
        "kits/\(name).\(languageKey).pdf"
    }
}
