import Foundation
import TestSupport
import MonarchMarkdown
import Testing
@testable import MonarchPrint

/// Every glyph on paper (issue #15): the PDFs are drawn by a second renderer (MuPDF) and by
/// poppler, not only read back as text, because a broken glyph keeps its text.
@Suite struct GlyphTests {
    /// The line where Debian 12's cairo left 如 blank in every Simplified Chinese pamphlet.
    static let line = "如果可以走。如果你被拘留"

    @Test("MuPDF draws every glyph of the five UDHR pamphlets", arguments: udhrLanguages.map(\.code))
    func udhrDrawsWithoutBrokenGlyphs(code: String) throws {
        let tag = udhrLanguages.first { $0.code == code }!.tag
        let pdf = try Pamphlet.render(try udhrPage(code, tag: tag), options: letter).pdf()
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let problems = try MuPDF.glyphProblems(try write(pdf, "\(code).pdf", in: folder))
        #expect(problems.isEmpty, "\(problems.prefix(3))")
    }

    @Test("No character cell of 如果可以走。如果你被拘留 is blank at 150 dpi")
    func everyHanCharacterHasInk() throws {
        let pdf = try Pamphlet.render(page("# 如果\n\n\(Self.line)\n\n**\(Self.line)**\n", tag: "zh-Hans"), options: letter).pdf()
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(pdf, "line.pdf", in: folder)
        #expect(try MuPDF.glyphProblems(path).isEmpty)
        let cells = try CharacterCells.blank(in: path, folder: folder)
        #expect(cells.checked == 2 + 11 + 11, "characters checked: \(cells.checked)")
        #expect(cells.blank.isEmpty, "blank where the text layer has: \(cells.blank)")
        #expect(try PDFText.fonts(path).contains("NotoSansCJKsc-Regular"))
    }

    @Test("A PDF's bytes do not depend on the other characters its font subsets hold")
    func subsetsAreInterchangeable() throws {
        let printed = page(Self.line + "\n\nSome English, 한국어 and ภาษาไทย.\n", tag: "zh-Hans")
        let few = PrintFonts.characters(of: [printed])
        var many = few
        for (tag, text) in [("zh-Hans", "人人生而自由，在尊严和权利上一律平等。"), ("ko", "모든 인간은 태어날 때부터 자유로우며")] {
            many[tag, default: []].formUnion(text.unicodeScalars.map(\.value))
        }
        // Tags of their own, so that no subsets made by other tests are taken instead.
        let small = try #require(PrintFonts.prepare(charactersByTag: Dictionary(uniqueKeysWithValues: few.map { ("\($0.key)-x-few", $0.value) })))
        let large = try #require(PrintFonts.prepare(charactersByTag: Dictionary(uniqueKeysWithValues: many.map { ("\($0.key)-x-many", $0.value) })))
        #expect(small.files != large.files)
        var options = letter
        options.fonts = small
        let a = try Pamphlet.render(printed, options: options).pdf()
        options.fonts = large
        let b = try Pamphlet.render(printed, options: options).pdf()
        #expect(a == b)
    }

    @Test("A character the build's subsets lack is still printed, as itself")
    func missingCharacterIsAddedToTheSubsets() throws {
        let fonts = try #require(PrintFonts.prepare(charactersByTag: ["zh-Hans-x-lacking": Set("你好".unicodeScalars.map(\.value))]))
        var options = letter
        options.fonts = fonts
        let pdf = try Pamphlet.render(page(Self.line + "\n", tag: "zh-Hans", title: "标题"), options: options).pdf()
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(pdf, "lacking.pdf", in: folder)
        #expect(try PDFText.text(path).filter { !$0.isWhitespace }.contains(Self.line))
        #expect(try MuPDF.glyphProblems(path).isEmpty)
        #expect(try CharacterCells.blank(in: path, folder: folder).blank.isEmpty)
    }

    @Test("Thai SARA AM, which HarfBuzz splits while shaping, is drawn, not a hex box")
    func thaiSaraAm() throws {
        let text = "คนรับสายคือคนที่ทำงานบริการ"
        let pdf = try Pamphlet.render(page(text + "\n", tag: "th", title: "ทำ"), options: letter).pdf()
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(pdf, "th.pdf", in: folder)
        let extracted = try PDFText.text(path).filter { !$0.isWhitespace }
        #expect(extracted.contains(text))
        #expect(!extracted.contains("0E4D") && !extracted.contains("0E"), "\(extracted)")
        #expect(try MuPDF.glyphProblems(path).isEmpty)
    }

    @Test("A symbol the language's fonts lack prints from the face fontconfig falls back to")
    func symbolsFallBack() throws {
        let pdf = try Pamphlet.render(page("Call ☎ now ✓ ⚠\n", tag: "en"), options: letter).pdf()
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(pdf, "symbols.pdf", in: folder)
        #expect(try PDFText.text(path).contains("Call ☎ now ✓ ⚠"))
        // A face besides Noto Sans itself: the fallback fontconfig picks, or Noto Sans CJK
        // SC, which an English page names for Chinese and CJK symbols (LanguageStyle.hanFamilies).
        let fonts = try PDFText.fonts(path)
        #expect(fonts.contains { !$0.hasPrefix("NotoSans-") }, "a fallback face is embedded: \(fonts)")
        #expect(!fonts.contains { $0.contains("CJKjp") || $0.contains("Emoji") }, "\(fonts)")
        #expect(try MuPDF.glyphProblems(path).isEmpty)
    }

    @Test("The subset cache keeps within its limit, dropping the least recently used first")
    func cacheIsPruned() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (i, name) in ["old.otf", "kept.otf", "middle.otf", "new.otf"].enumerated() {
            let url = folder.appendingPathComponent(name)
            try Data(count: 10).write(to: url)
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000 + Double(i) * 100)],
                                                  ofItemAtPath: url.path)
        }
        PrintFonts.prune(folder, keeping: ["kept.otf"], limit: 25)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(left == ["kept.otf", "new.otf"])
    }

    @Test("Subsets are cached only in a folder of this user's that no one else can write to")
    func cacheFolderIsPrivate() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let own = folder.appendingPathComponent("own")
        #expect(PrintFonts.cacheFolder(environment: ["MONARCH_FONT_CACHE": own.path])?.path == own.path)
        let attributes = try FileManager.default.attributesOfItem(atPath: own.path)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o077 } == 0, "made readable by its user alone")
        let shared = folder.appendingPathComponent("shared")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: false)
        _ = chmod(shared.path, 0o777)
        let chosen = PrintFonts.cacheFolder(environment: ["MONARCH_FONT_CACHE": shared.path, "HOME": folder.path])
        #expect(chosen?.path == folder.appendingPathComponent(".cache/monarch/fonts").path, "a folder others can write to is passed over")

        // Every usual place taken by someone else: a new private folder, not the system fonts.
        let temporary = folder.appendingPathComponent("tmp")
        let taken = temporary.appendingPathComponent("monarch-fonts-\(getuid())")
        try FileManager.default.createDirectory(at: taken, withIntermediateDirectories: true)
        _ = chmod(taken.path, 0o777)
        let fallback = try #require(PrintFonts.cacheFolder(environment: ["MONARCH_FONT_CACHE": shared.path], temporary: temporary))
        #expect(fallback.path != taken.path && fallback.path.hasPrefix(temporary.path + "/monarch-fonts-"), "\(fallback.path)")
        let mode = try FileManager.default.attributesOfItem(atPath: fallback.path)[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o077 } == 0)
    }
}

/// MuPDF's `mutool draw`, a renderer independent of cairo and poppler.
enum MuPDF {
    /// The lines of `mutool draw`'s messages that report a glyph it could not draw.
    static func glyphProblems(_ path: String) throws -> [String] {
        let run = try Command.run("/usr/bin/env", ["mutool", "draw", "-q", "-r", "36", "-F", "pgm", "-o", "/dev/null", path])
        return run.err.split(separator: "\n").map(String.init).filter {
            let line = $0.lowercased()
            return line.contains("broken") || line.contains("cannot render") || line.contains("cannot load") || line.contains("error")
        } + (run.status == 0 ? [] : ["mutool exited \(run.status)"])
    }
}

/// Poppler's text boxes laid over poppler's raster: a Han character whose cell has no ink.
enum CharacterCells {
    static func blank(in path: String, folder: URL, dpi: Double = 150) throws -> (checked: Int, blank: [String]) {
        let html = try tool("pdftotext", ["-f", "1", "-l", "1", "-bbox", path, "-"])
        try tool("pdftoppm", ["-f", "1", "-l", "1", "-r", "\(Int(dpi))", "-gray", path, folder.appendingPathComponent("page").path])
        let pgm = try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix("page") && $0.hasSuffix(".pgm") }
        let image = try Gray(Data(contentsOf: folder.appendingPathComponent(try #require(pgm))))
        let scale = dpi / 72
        var checked = 0
        var blank: [String] = []
        let pattern = #/<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>/#
        for match in html.matches(of: pattern) {
            let (x0, y0, x1, y1) = (Double(match.1)!, Double(match.2)!, Double(match.3)!, Double(match.4)!)
            let characters = Array(String(match.5))
            // Han characters and CJK punctuation are one em wide each: the word's box divides evenly.
            guard !characters.isEmpty, characters.allSatisfy({ $0.unicodeScalars.allSatisfy(\.isIdeographicForSpacing) }) else { continue }
            let width = (x1 - x0) / Double(characters.count)
            for (i, character) in characters.enumerated() where character.unicodeScalars.first!.properties.isIdeographic {
                checked += 1
                let ink = image.darkPixels(x: Int(((x0 + Double(i) * width) * scale).rounded()), y: Int((y0 * scale).rounded()),
                                           width: Int((width * scale).rounded()), height: Int(((y1 - y0) * scale).rounded()))
                if ink < 10 { blank.append("\(character) at \(Int(x0 + Double(i) * width)),\(Int(y0))") }
            }
        }
        return (checked, blank)
    }

    /// A binary PGM (P5, 8 bits) as pdftoppm writes it.
    struct Gray {
        let width: Int
        let height: Int
        let pixels: [UInt8]

        init(_ data: Data) throws {
            let bytes = [UInt8](data)
            var fields: [String] = []
            var i = 0
            while fields.count < 4 {
                while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
                var field = ""
                while i < bytes.count, !(bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09) {
                    field.append(Character(Unicode.Scalar(bytes[i])))
                    i += 1
                }
                fields.append(field)
            }
            guard fields[0] == "P5", let w = Int(fields[1]), let h = Int(fields[2]) else { throw TestFailure("not a PGM") }
            width = w
            height = h
            pixels = Array(bytes[(i + 1)...])
        }

        func darkPixels(x: Int, y: Int, width w: Int, height h: Int) -> Int {
            var count = 0
            for row in max(0, y)..<min(height, y + h) {
                for column in max(0, x)..<min(width, x + w) where pixels[row * width + column] < 128 { count += 1 }
            }
            return count
        }
    }
}
