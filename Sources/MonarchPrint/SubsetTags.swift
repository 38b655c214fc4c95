import CPangoCairo
import Foundation

/// The six letters before an embedded font's name (`/JHIHJD+NotoSansCJKkr-Regular`), made
/// from the font the PDF embeds instead of from glyph numbers.
///
/// Cairo 1.16 names each font subset it embeds with a hash of the glyph numbers it holds.
/// Monarch's HarfBuzz subsets number their glyphs in order from 1, so the same character
/// has another number in a subset that holds other characters as well, and the tag of an
/// unchanged pamphlet would change whenever another page of the site gains a character,
/// though the font cairo embeds (renumbered again, in order of use) is the same bytes. The
/// tag is rewritten here as a digest of that embedded font and its name: same font, same
/// tag, whichever subset it came from; different subsets in one PDF keep different tags, as
/// the PDF specification asks. The tag keeps its length, so no offset in the file moves.
enum SubsetTags {
    /// `pdf` with every subset tag cairo wrote replaced as above.
    static func normalize(_ pdf: Data) -> Data {
        var bytes = [UInt8](pdf)
        let fontName = Array("/FontName /".utf8)
        var renamed: [[UInt8]: [UInt8]] = [:]
        var at = 0
        while let found = find(fontName, in: bytes, from: at) {
            at = found + fontName.count
            guard let tag = tag(in: bytes, at: at), renamed[tag] == nil else { continue }
            let nameEnd = (at + 7..<bytes.count).first { isDelimiter(bytes[$0]) } ?? bytes.count
            let name = bytes[(at + 7)..<nameEnd]
            // The font program the descriptor points at, whose bytes do not depend on
            // the glyph numbers of the subset it was cut from.
            let dictionaryEnd = find(Array(">>".utf8), in: bytes, from: at) ?? bytes.count
            var program: ArraySlice<UInt8> = []
            if let file = find(Array("/FontFile".utf8), in: bytes, from: at), file < dictionaryEnd,
               let object = objectNumber(in: bytes, after: file + 10),
               let start = find(Array("\n\(object) 0 obj".utf8), in: bytes, from: 0),
               let end = find(Array("endobj".utf8), in: bytes, from: start) {
                program = bytes[(start + 1)..<end]
            }
            renamed[tag] = letters(digest(Array(name) + [0] + Array(program)))
        }
        guard !renamed.isEmpty else { return pdf }
        for key in [Array("/FontName /".utf8), Array("/BaseFont /".utf8)] {
            var at = 0
            while let found = find(key, in: bytes, from: at) {
                at = found + key.count
                if let tag = tag(in: bytes, at: at), let new = renamed[tag] {
                    bytes.replaceSubrange(at..<(at + 6), with: new)
                }
            }
        }
        return Data(bytes)
    }

    /// The six capital letters and `+` at `at`, without the `+`.
    private static func tag(in bytes: [UInt8], at: Int) -> [UInt8]? {
        guard at + 7 <= bytes.count, bytes[at + 6] == 0x2B,
              bytes[at..<(at + 6)].allSatisfy({ (0x41...0x5A).contains($0) }) else { return nil }
        return Array(bytes[at..<(at + 6)])
    }

    /// The number of the `N 0 R` reference after a key such as `/FontFile3`.
    private static func objectNumber(in bytes: [UInt8], after index: Int) -> Int? {
        var i = index
        while i < bytes.count, bytes[i] != 0x20 { i += 1 }   // the key's last character(s)
        while i < bytes.count, bytes[i] == 0x20 { i += 1 }
        var number = 0, digits = 0
        while i < bytes.count, (0x30...0x39).contains(bytes[i]), digits < 10 {
            number = number * 10 + Int(bytes[i] - 0x30)
            digits += 1
            i += 1
        }
        return digits > 0 ? number : nil
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        byte <= 0x20 || "/<>[]()%".utf8.contains(byte)
    }

    /// Where `needle` first starts at or after `start` (memchr for its first byte, then
    /// memcmp: glibc's memmem is not visible to Swift).
    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard start >= 0, !needle.isEmpty, start + needle.count <= bytes.count else { return nil }
        return bytes.withUnsafeBytes { haystack in
            needle.withUnsafeBytes { wanted in
                let base = haystack.baseAddress!, end = haystack.count - wanted.count
                var at = start
                while at <= end {
                    guard let hit = memchr(base + at, Int32(needle[0]), end - at + 1) else { return nil }
                    at = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + at, wanted.baseAddress!, wanted.count) == 0 { return at }
                    at += 1
                }
                return nil
            }
        }
    }

    private static func digest(_ bytes: [UInt8]) -> [UInt8] {
        let hex = bytes.withUnsafeBufferPointer { g_compute_checksum_for_data(G_CHECKSUM_SHA256, $0.baseAddress, gsize($0.count)) }!
        defer { g_free(hex) }
        return Array(String(cString: hex).utf8)
    }

    /// Six capital letters from a hexadecimal digest.
    private static func letters(_ hex: [UInt8]) -> [UInt8] {
        var value: UInt64 = 0
        for byte in hex.prefix(15) {
            value = value << 4 | UInt64(byte <= 0x39 ? byte - 0x30 : byte - 0x61 + 10)
        }
        return (0..<6).map { _ in
            defer { value /= 26 }
            return 0x41 + UInt8(value % 26)
        }
    }
}
