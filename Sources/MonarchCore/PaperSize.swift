/// The paper a pamphlet is printed on (site.yaml's `pamphlets: paper:`). A booklet, a kit
/// and a bilingual pamphlet use the same paper turned landscape (two pages side by side on
/// each sheet).
public enum PaperSize: String, Sendable, Hashable, CaseIterable {
    /// US Letter, 8.5 × 11 in (612 × 792 pt): the default.
    case letter
    /// ISO A4, 210 × 297 mm (595 × 842 pt).
    case a4

    /// Width and height in PostScript points, portrait.
    public var points: (width: Double, height: Double) {
        switch self {
        case .letter: return (612, 792)
        case .a4: return (595.276, 841.89)
        }
    }
}
