import Foundation
import Testing
@testable import MonarchPrint

/// What a hostile tester found in the subset cache (issue #15's plan and subsets): files of
/// the cache are trusted by name alone, and a font added to an existing font subfolder
/// leaves the plan standing. Each of these printed wrong PDFs with exit status 0 and no
/// warning (blank body text, Korean as boxes, another font than a cold cache's).
@Suite struct FontCacheDamageTests {
    /// `truncate -s 30000` of the Noto Sans Regular subset in the cache: the next build
    /// printed every regular glyph of an English pamphlet blank (pdftotext still finds the
    /// text; MuPDF says nothing), and so did every build after it, plan or no plan.
    @Test("A subset damaged in the cache is not used by the plan that names it")
    func damagedSubsetIsNotUsed() throws {
        // Characters no other test asks for, so that this subset is this test's own.
        let own = (0..<10).map { _ in UInt32.random(in: 0x0100...0x017F) }
        let characters = ["en-x-damaged": Set("damaged cache".unicodeScalars.map(\.value) + own)]
        let fonts = try #require(PrintFonts.prepare(charactersByTag: characters))
        let folder = try #require(PrintFonts.cacheFolder())
        let planFile = folder.appendingPathComponent(FontPlan.name(charactersByTag: characters))
        let plan = try #require(FontPlan.load(planFile, folder: folder))
        let regular = try #require(plan.faces.first { $0.source.hasSuffix("NotoSans-Regular.ttf") })
        let subset = folder.appendingPathComponent(regular.subset)
        defer {
            try? FileManager.default.removeItem(at: subset)
            try? FileManager.default.removeItem(at: planFile)
        }
        #expect(fonts.files.contains(subset))
        let whole = try Data(contentsOf: subset)
        try whole.prefix(whole.count / 2).write(to: subset)
        let again = FontPlan.load(planFile, folder: folder)
        #expect(again == nil || !again!.faces.contains { $0.subset == regular.subset },
                "a plan naming a truncated subset (\(whole.count / 2) of \(whole.count) bytes) was loaded")
    }

    /// A plan cut after a whole line (by hand, or by a disk that lost its end) loaded with
    /// fewer faces: the Korean UDHR pamphlet then printed every Hangul syllable as a box.
    @Test("A plan that lost its last lines is not used")
    func truncatedPlanIsNotUsed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("monarch-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("Font.ttf")
        try Data("font".utf8).write(to: source)
        var faces: [FontPlan.Face] = []
        for digit in ["a", "b"] {
            let name = String(repeating: digit, count: 64) + ".otf"
            try Data("subset".utf8).write(to: folder.appendingPathComponent(name))
            faces.append(.init(subset: name, subsetStamp: FontPlan.stamp(of: folder.appendingPathComponent(name).path),
                               source: source.path, stamp: FontPlan.stamp(of: source.path)))
        }
        let text = try #require(FontPlan(faces: faces, families: ["Noto Sans"]).text)
        let file = folder.appendingPathComponent("x.plan")
        try Data(text.utf8).write(to: file)
        #expect(FontPlan.load(file, folder: folder)?.faces.count == 2)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeLast(2)   // the last face line and the final empty piece
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        #expect(FontPlan.load(file, folder: folder) == nil, "a plan without its last face was loaded")
    }

    /// A font copied into a subfolder that already existed (~/.local/share/fonts/noto/),
    /// without fc-cache: fontconfig picks it (a cold cache prints with it) but the warm plan
    /// still names the old face, so a warm and a cold build print different PDFs.
    @Test("A font added to an existing font subfolder names another plan")
    func fontInSubfolderNamesAnotherPlan() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("monarch-home-\(UUID().uuidString)")
        let sub = home.appendingPathComponent(".local/share/fonts/noto")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["HOME": home.path]
        let characters = ["en": Set("abc".unicodeScalars.map(\.value))]
        let before = FontPlan.name(charactersByTag: characters, system: FontPlan.systemStamp(environment: environment))
        try Data("a newer Noto Sans".utf8).write(to: sub.appendingPathComponent("NotoSans-Regular.ttf"))
        let after = FontPlan.name(charactersByTag: characters, system: FontPlan.systemStamp(environment: environment))
        #expect(after != before, "the plan of the old fonts still stands")
    }
}
