/// How one language is typeset: its fonts, chosen explicitly (fontconfig alone would pick
/// the Japanese shapes for Chinese), its line height and its line-breaking rules.
struct LanguageStyle: Sendable, Hashable {
    /// The BCP 47 tag as given (Pango's language attribute and the PDF's `/Lang`).
    var tag: String
    /// Font families in order; the first holds the language's own script.
    var bodyFamilies: [String]
    /// Monospaced families for code, in order.
    var monoFamilies: [String]
    /// Families for Chinese characters and CJK punctuation quoted in a language that is not
    /// Chinese, Japanese or Korean: without them fontconfig falls back to the first CJK
    /// face it knows, Noto Sans CJK JP, whose shapes of 骨, 直 or 令 are Japanese. Simplified
    /// Chinese shapes; not required (a site in English alone prints without CJK fonts).
    var hanFamilies: [String] = []
    var hanMonoFamilies: [String] = []
    /// Line height as a multiple of the font size.
    var lineHeight: Double
    /// Korean: a line breaks only at spaces (CSS `word-break: keep-all`).
    var keepAll: Bool
    /// Chinese and Japanese: a soft line break between two ideographs is no space.
    var dropsSpaceBetweenIdeographs: Bool

    /// The families every pamphlet needs installed (checked before any layout).
    var requiredFamilies: [String] {
        var out: [String] = []
        for family in bodyFamilies + monoFamilies where !out.contains(family) { out.append(family) }
        return out
    }

    /// Where emoji the language's fonts lack are printed from, if installed (Debian
    /// fonts-symbola): black outlines, in the text layer, that print and photocopy like text.
    static let emojiFamilies = ["Symbola"]

    var bodyFamilyList: String { (bodyFamilies + hanFamilies).joined(separator: ",") }
    var monoFamilyList: String { (monoFamilies + hanMonoFamilies).joined(separator: ",") }

    /// The style for a BCP 47 tag: `zh-Hans`/`zh-CN`/`zh` -> Noto Sans CJK SC,
    /// `zh-Hant`/`zh-TW` -> TC, `zh-HK`/`zh-MO` -> HK, `ko` -> KR, `ja` -> JP,
    /// `th` -> Noto Sans Thai; everything else Noto Sans.
    static func forTag(_ tag: String) -> LanguageStyle {
        let subtags = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).map { $0.lowercased() }
        let language = subtags.first ?? ""
        let script = subtags.dropFirst().first { $0.count == 4 }
        let region = subtags.dropFirst().first { $0.count == 2 || ($0.count == 3 && $0.allSatisfy(\.isNumber)) }
        let latin = ["Noto Sans"]
        let latinMono = ["Noto Sans Mono"]
        func cjk(_ variant: String, keepAll: Bool = false) -> LanguageStyle {
            LanguageStyle(tag: tag,
                          bodyFamilies: ["Noto Sans CJK \(variant)"],
                          monoFamilies: ["Noto Sans Mono CJK \(variant)"],
                          lineHeight: 1.7, keepAll: keepAll, dropsSpaceBetweenIdeographs: !keepAll)
        }
        switch language {
        case "zh", "cmn", "yue", "lzh", "hak", "nan", "wuu":
            if script == "hant" { return region == "hk" || region == "mo" ? cjk("HK") : cjk("TC") }
            if script == "hans" { return cjk("SC") }
            switch region {
            case "tw": return cjk("TC")
            case "hk", "mo": return cjk("HK")
            default: return language == "yue" ? cjk("HK") : cjk("SC")
            }
        case "ja":
            return cjk("JP")
        case "ko":
            return cjk("KR", keepAll: true)
        case "th":
            return LanguageStyle(tag: tag, bodyFamilies: ["Noto Sans Thai"] + latin,
                                 monoFamilies: latinMono + ["Noto Sans Thai"],
                                 hanFamilies: ["Noto Sans CJK SC"], hanMonoFamilies: ["Noto Sans Mono CJK SC"],
                                 lineHeight: 1.8, keepAll: false, dropsSpaceBetweenIdeographs: false)
        default:
            return LanguageStyle(tag: tag, bodyFamilies: latin, monoFamilies: latinMono,
                                 hanFamilies: ["Noto Sans CJK SC"], hanMonoFamilies: ["Noto Sans Mono CJK SC"],
                                 lineHeight: 1.45, keepAll: false, dropsSpaceBetweenIdeographs: false)
        }
    }
}

extension Unicode.Scalar {
    /// Hangul syllables and jamo.
    var isHangul: Bool {
        switch value {
        case 0x1100...0x11FF, 0x3130...0x318F, 0xA960...0xA97F, 0xAC00...0xD7AF, 0xD7B0...0xD7FF: return true
        default: return false
        }
    }

    /// Han ideographs, kana and CJK punctuation, between which a source line break is no space.
    var isIdeographicForSpacing: Bool {
        switch value {
        case 0x2E80...0x2FDF, 0x3000...0x303F, 0x3040...0x30FF, 0x31F0...0x31FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF00...0xFF60, 0x20000...0x3FFFF:
            return true
        default: return false
        }
    }
}
