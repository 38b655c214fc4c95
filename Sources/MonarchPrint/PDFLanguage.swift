import Foundation

/// Cairo 1.16 has no way to set the document language, so `/Lang` is added to the
/// catalog after cairo is done. Cairo writes the catalog as the last object before the
/// cross-reference table, so the entry goes into the catalog in place and only the
/// `startxref` offset moves; every other object keeps its offset. Anything else in the
/// bytes is refused, never patched blindly.
enum PDFLanguage {
    /// A tag that can go into a PDF string as it is: ASCII letters, digits and `-`.
    static func validate(_ tag: String) -> Result<Void, PDFError> {
        guard !tag.isEmpty, tag.utf8.count <= 64,
              tag.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }) else {
            return .failure(PDFError(message: "language tag '\(tag)' is not a BCP 47 tag (letters, digits and '-'); correct it in site.yaml"))
        }
        return .success(())
    }

    static func setLanguage(_ tag: String, in pdf: Data) -> Result<Data, PDFError> {
        if case .failure(let error) = validate(tag) { return .failure(error) }
        let bytes = [UInt8](pdf)
        // The tail: "...>>\nendobj\nxref\n...trailer\n<< ... /Root N 0 R ...>>\nstartxref\nOFFSET\n%%EOF\n"
        guard let startxref = lastIndex(of: Array("startxref\n".utf8), in: bytes),
              let xref = lastIndex(of: Array("\nxref\n".utf8), in: bytes),
              let trailer = lastIndex(of: Array("trailer\n".utf8), in: bytes), trailer > xref, startxref > trailer else {
            return .failure(PDFError(message: "cairo wrote a PDF without a classic cross-reference table; /Lang cannot be added"))
        }
        let trailerText = String(decoding: bytes[trailer..<startxref], as: UTF8.self)
        guard let root = trailerText.firstMatch(of: /\/Root (\d+) 0 R/)?.1,
              let offsetLine = String(decoding: bytes[(startxref + 10)...], as: UTF8.self).split(separator: "\n").first,
              let oldOffset = Int(offsetLine), oldOffset == xref + 1 else {
            return .failure(PDFError(message: "cairo's PDF trailer is not as expected; /Lang cannot be added"))
        }
        let catalogHeader = Array("\n\(root) 0 obj\n<< /Type /Catalog\n".utf8)
        let catalogEnd = Array(">>\nendobj".utf8)
        guard let catalog = lastIndex(of: catalogHeader, in: bytes),
              xref - catalogEnd.count >= catalog,
              Array(bytes[(xref - catalogEnd.count)..<xref]) == catalogEnd else {
            return .failure(PDFError(message: "cairo's PDF catalog is not where expected; /Lang cannot be added"))
        }
        let insertAt = xref - catalogEnd.count
        let entry = Array("   /Lang (\(tag))\n".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + entry.count + 4)
        out += bytes[..<insertAt]
        out += entry
        out += bytes[insertAt..<(startxref + 10)]
        out += Array("\(oldOffset + entry.count)\n%%EOF\n".utf8)
        return .success(Data(out))
    }

    private static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = haystack.count - needle.count
        while i >= 0 {
            if haystack[i] == needle[0] && Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i -= 1
        }
        return nil
    }
}
