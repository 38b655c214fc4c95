/// Heading ids: the heading's plain text, lower-cased, keeping every Unicode letter (L*),
/// mark (M*) and number (N*) — so Thai vowels and tone marks, Hangul and Han all survive —
/// plus `-` and `_`; each run of whitespace becomes one `-`; everything else is dropped
/// (so `A & B` gives `a--b`, as on GitHub); leading and trailing `-` are trimmed; an empty
/// result is `section`.
public enum HeadingID {
    /// The id for one heading's plain text, before making it unique.
    ///
    /// `"If the police stop you"` → `if-the-police-stop-you`, `"ข้อ 1"` → `ข้อ-1`.
    public static func slug(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var inWhitespace = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isWhitespace {
                if !inWhitespace { scalars.append("-") }
                inWhitespace = true
                continue
            }
            inWhitespace = false
            if keeps(scalar) { scalars.append(scalar) }
        }
        var slug = String(scalars)
        while slug.hasPrefix("-") { slug.removeFirst() }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "section" : slug
    }

    private static func keeps(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "-" || scalar == "_" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}

/// Hands out unique ids within one document: the second `x` becomes `x-1`, the third
/// `x-2`, skipping any id already taken (also one written as a heading, like `x-1`).
struct HeadingIDAllocator {
    private var used: Set<String> = []
    private var nextSuffix: [String: Int] = [:]

    /// Takes an id as written (`## Heading {#id}`); false if it was already taken.
    mutating func reserve(_ id: String) -> Bool {
        used.insert(id).inserted
    }

    mutating func unique(for text: String) -> String {
        let base = HeadingID.slug(text)
        if used.insert(base).inserted { return base }
        var n = nextSuffix[base, default: 1]
        while !used.insert("\(base)-\(n)").inserted { n += 1 }
        nextSuffix[base] = n + 1
        return "\(base)-\(n)"
    }
}
