import Foundation
import Testing
@testable import MonarchPrint

/// The subsets' plan (issue #15): a build whose text and fonts did not change finds its
/// subsets without asking fontconfig, and never keeps a plan the system has outgrown.
@Suite struct FontPlanTests {
    @Test("Preparing the same characters again finds the plan, with the same subsets")
    func planIsFoundAgain() throws {
        let characters = ["ko-x-plan": Set("다시 찾기 plan".unicodeScalars.map(\.value))]
        let fonts = try #require(PrintFonts.prepare(charactersByTag: characters))
        let folder = try #require(PrintFonts.cacheFolder())
        let file = folder.appendingPathComponent(FontPlan.name(charactersByTag: characters))
        let plan = try #require(FontPlan.load(file, folder: folder), "the plan is written beside the subsets")
        #expect(plan.faces.map { folder.appendingPathComponent($0.subset) } == fonts.files)
        #expect(plan.faces.contains { $0.source.contains("NotoSansCJK") })
        #expect(Set(plan.families) == ["Noto Sans CJK KR", "Noto Sans Mono CJK KR"])
        #expect(fonts.installedFamilies == Set(plan.families))
    }

    @Test("A plan whose installed font changed, or whose subset is gone, is not used")
    func stalePlansAreIgnored() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("Font.ttf")
        try Data("font".utf8).write(to: source)
        let name = String(repeating: "ab", count: 32) + ".otf"
        try Data("subset".utf8).write(to: folder.appendingPathComponent(name))
        let subsetStamp = FontPlan.stamp(of: folder.appendingPathComponent(name).path)
        let plan = FontPlan(faces: [.init(subset: name, subsetStamp: subsetStamp, source: source.path, stamp: FontPlan.stamp(of: source.path))],
                            families: ["Noto Sans"])
        let file = folder.appendingPathComponent("x.plan")
        try Data(try #require(plan.text).utf8).write(to: file)
        #expect(FontPlan.load(file, folder: folder)?.faces.count == 1)

        try Data("a font updated by the package manager".utf8).write(to: source)
        #expect(FontPlan.load(file, folder: folder) == nil, "the font file changed")

        try Data(try #require(FontPlan(faces: [.init(subset: name, subsetStamp: subsetStamp, source: source.path, stamp: FontPlan.stamp(of: source.path))],
                                       families: []).text).utf8).write(to: file)
        #expect(FontPlan.load(file, folder: folder) != nil)
        try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        #expect(FontPlan.load(file, folder: folder) == nil, "the subset was pruned")

        // A plan naming a file outside the cache (written by hand, or damaged) is not used.
        try Data("outside".utf8).write(to: folder.deletingLastPathComponent().appendingPathComponent("outside.otf"))
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent().appendingPathComponent("outside.otf")) }
        let outside = FontPlan.stamp(of: folder.deletingLastPathComponent().appendingPathComponent("outside.otf").path)
        try Data(try #require(FontPlan(faces: [.init(subset: "../outside.otf", subsetStamp: outside, source: source.path, stamp: FontPlan.stamp(of: source.path))],
                                       families: []).text).utf8).write(to: file)
        #expect(FontPlan.load(file, folder: folder) == nil)
    }

    @Test("A font installed for the user, or another fontconfig file, names another plan")
    func systemChangesNameAnotherPlan() throws {
        let home = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["HOME": home.path]
        let characters = ["en": Set("abc".unicodeScalars.map(\.value))]
        let before = FontPlan.name(charactersByTag: characters, system: FontPlan.systemStamp(environment: environment))
        #expect(before == FontPlan.name(charactersByTag: characters, system: FontPlan.systemStamp(environment: environment)))
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".local/share/fonts"), withIntermediateDirectories: true)
        let installed = FontPlan.name(charactersByTag: characters, system: FontPlan.systemStamp(environment: environment))
        #expect(installed != before)
        var other = environment
        other["FONTCONFIG_FILE"] = home.appendingPathComponent("fonts.conf").path
        #expect(FontPlan.name(charactersByTag: characters, system: FontPlan.systemStamp(environment: other)) != installed)
        #expect(FontPlan.name(charactersByTag: ["en": Set("abcd".unicodeScalars.map(\.value))],
                              system: FontPlan.systemStamp(environment: environment)) != installed, "other characters")
    }

    @Test("A subset file cut short or overwritten is not taken as whole, and is made again")
    func wholeSubsetFiles() throws {
        let characters = ["th-x-whole": Set("ทั้งหมด whole".unicodeScalars.map(\.value))]
        let fonts = try #require(PrintFonts.prepare(charactersByTag: characters))
        let file = try #require(fonts.files.first)
        #expect(FontFile.isWhole(file.path))
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Data(contentsOf: file)
        let cut = folder.appendingPathComponent("cut.otf")
        try data.prefix(data.count / 2).write(to: cut)
        #expect(!FontFile.isWhole(cut.path))
        let noise = folder.appendingPathComponent("noise.otf")
        try Data((0..<data.count).map { UInt8(truncatingIfNeeded: $0 &* 131) }).write(to: noise)
        #expect(!FontFile.isWhole(noise.path))
        try Data().write(to: cut)
        #expect(!FontFile.isWhole(cut.path))
    }
}
