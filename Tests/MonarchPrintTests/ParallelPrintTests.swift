import CPangoCairo
import Foundation
import TestSupport
import Testing
@testable import MonarchPrint

/// Pamphlets print on every core (issue #15): each render has a `FontSession` of its own,
/// whose faces cairo uses as they are and never closes.
@Suite struct ParallelPrintTests {
    @Test("Cairo draws with the faces a session opened, not with faces it opens from the files")
    func sessionsHandCairoTheirOwnFaces() throws {
        let text = "모든 인간은 Everyone"
        let fonts = try #require(PrintFonts.prepare(charactersByTag: ["ko-x-session": Set(text.unicodeScalars.map(\.value))]))
        let session = try #require(fonts.sessions.take())
        defer { fonts.sessions.give(back: session) }
        let context = try #require(pango_font_map_create_context(session.map))
        defer { g_object_unref(UnsafeMutableRawPointer(context)) }
        var checked = 0
        for family in ["Noto Sans CJK KR", "Noto Sans"] {
            for weight in ["", "Bold "] {
                let description = pango_font_description_from_string("\(family) \(weight)12")
                defer { pango_font_description_free(description) }
                let font = try #require(pango_font_map_load_font(session.map, context, description))
                defer { g_object_unref(UnsafeMutableRawPointer(font)) }
                let scaled = pango_cairo_font_get_scaled_font(OpaquePointer(font))
                let face = cairo_ft_scaled_font_lock_face(scaled)
                defer { cairo_ft_scaled_font_unlock_face(scaled) }
                #expect(face.map { session.faces.contains($0) } == true, "\(family) \(weight): a face cairo opened itself")
                checked += 1
            }
        }
        #expect(checked == 4)
    }

    @Test("Pamphlets printed on several threads at once are the same bytes as printed one at a time")
    func parallelRendersAreTheSame() throws {
        let pages = try udhrLanguages.map { try udhrPage($0.code, tag: $0.tag) }
        var options = letter
        let characters = PrintFonts.characters(of: pages)
        // A tag of its own, so that these subsets (and their sessions) are this test's alone.
        options.fonts = try #require(PrintFonts.prepare(charactersByTag: Dictionary(uniqueKeysWithValues:
            characters.map { ("\($0.key)-x-parallel", $0.value) })))
        let serial = try pages.map { try Pamphlet.render($0, options: options).pdf() }
        let jobs = Array(repeating: Array(pages.indices), count: 3).flatMap { $0 }
        let lock = NSLock()
        nonisolated(unsafe) var results = [Data?](repeating: nil, count: jobs.count)
        let jobOptions = options
        // Threads of their own (not the shared pool, which other tests may hold), three
        // renders each, all started before any is done.
        let done = DispatchSemaphore(value: 0)
        let threads = 5
        for t in 0..<threads {
            Thread {
                for i in stride(from: t, to: jobs.count, by: threads) {
                    let pdf = try? Pamphlet.render(pages[jobs[i]], options: jobOptions).pdf()
                    lock.lock()
                    results[i] = pdf
                    lock.unlock()
                }
                done.signal()
            }.start()
        }
        for _ in 0..<threads { done.wait() }
        for (i, job) in jobs.enumerated() {
            #expect(results[i] == serial[job], "\(udhrLanguages[job].code), render \(i)")
        }
        if ProcessInfo.processInfo.activeProcessorCount > 1 {
            #expect(try #require(options.fonts).sessions.count > 1, "renders ran at the same time")
        }
    }
}

/// Pango's default fontconfig configuration is left empty (`SystemFonts`): a render without
/// subsets must still find the installed fonts.
@Suite struct InstalledFontsTests {
    @Test("Without subsets, a render lays out with the installed fonts, not an empty configuration")
    func installedFontsWithoutSubsets() throws {
        let unknown = RenderSession.shared.withFontMap(nil) { map -> [Character] in
            let engine = TextEngine(fontMap: map)
            var text = RichText()
            text.append("Hello 你好 안녕 สวัสดี", style: InlineStyle())
            let style = LanguageStyle.forTag("zh-Hans")
            let layout = engine.layout(text, font: FontSpec(families: style.bodyFamilyList + ",Noto Sans Thai", size: 11),
                                       style: style, width: 400)
            return engine.unknownCharacters(layout: layout.id)
        }
        #expect(unknown.isEmpty, "no glyph for \(unknown)")
        #expect(FontCheck.problem(family: "Noto Sans CJK SC") == nil)
        #expect(FontCheck.problem(family: "No Such Family Anywhere") != nil)
    }
}

/// Emoji and symbols (issue #15, point 4): printed from fonts of outlines, never as boxes.
@Suite struct EmojiTests {
    static let line = "Call 📞 now ☎ ⚠️ ✅ ❌ 🏠 ❤️ 🌈 ★ → ✓ ♀ ⚧"

    @Test("Every emoji and symbol of a line has a glyph in the fonts a pamphlet prints with")
    func noCharacterIsABox() throws {
        let printed = page(Self.line + "\n", tag: "en")
        for tag in ["en", "zh-Hans", "ko", "th"] {
            var characters = PrintFonts.characters(of: [printed])
            characters["\(tag)-x-emoji"] = characters.removeValue(forKey: "en")
            let fonts = try #require(PrintFonts.prepare(charactersByTag: characters))
            let unknown = RenderSession.shared.withFontMap(fonts) { map -> [Character] in
                let engine = TextEngine(fontMap: map)
                var text = RichText()
                text.append(Self.line, style: InlineStyle())
                let style = LanguageStyle.forTag(tag)
                let layout = engine.layout(text, font: FontSpec(families: style.bodyFamilyList, size: 11), style: style, width: 400)
                return engine.unknownCharacters(layout: layout.id)
            }
            #expect(unknown.isEmpty, "\(tag): no glyph for \(unknown)")
        }
    }

    @Test("Emoji print from Symbola's outlines: in the text layer, drawn by MuPDF, no colour pictures")
    func emojiPrintAsOutlines() throws {
        let pdf = try Pamphlet.render(page("# Safety 📞\n\n" + Self.line + "\n", tag: "en"), options: letter).pdf()
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("emoji.pdf").path
        try pdf.write(to: URL(fileURLWithPath: path))
        let fonts = try PDFText.fonts(path)
        #expect(fonts.contains { $0.hasSuffix("Symbola") }, "\(fonts)")
        #expect(try PDFText.text(path).contains("📞 now ☎"))
        #expect(try MuPDF.glyphProblems(path).isEmpty)
        let images = try Command.run("/usr/bin/env", ["pdfimages", "-list", path]).out
        #expect(images.split(separator: "\n").count <= 2, "no emoji embedded as a picture: \(images)")
    }
}
