import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// Emoji print from outlines, never as colour pictures (a178f23). An emoji newer than
/// Symbola's (🫠 U+1FAE0, Unicode 14) fell back to Noto Color Emoji and was embedded as a
/// 136 x 128 picture about eight lines tall, drawn over the text around it.
@Suite("Emoji that Symbola lacks")
struct EmojiFallbackTests {
    @Test func anEmojiSymbolaLacksIsNotPrintedAsAPicture() throws {
        // Only a machine with a colour emoji font can print the picture this guards against
        // (`make test` installs fonts-noto-color-emoji).
        let colour = try Command.tool("fc-list", [":color=true", "family"])
        try #require(!colour.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "no colour emoji font is installed")
        let site = try TestBuild.englishSite(home: "---\ntitle: Home\npamphlet: true\n---\nA \u{1FAE0} B\n")
        let result = TestBuild.build(site)
        try #require(result.succeeded)
        let pdf = try #require(FileList.files(in: result.output).first { $0.hasSuffix(".pdf") })
        let images = try Command.tool("pdfimages", ["-list", result.output.appendingPathComponent(pdf).path])
        let rows = images.split(separator: "\n").dropFirst(2)
        #expect(rows.isEmpty, "colour pictures in the PDF:\n\(images)")
    }

    /// A character no installed font has is printed as a box: the editor hears of it, at the
    /// page, with the character and its code point, and the build still succeeds.
    @Test func aCharacterNoFontHasIsNamedInAWarning() throws {
        let site = try TestBuild.englishSite(home: "---\ntitle: Home\npamphlet: true\n---\nA \u{1FAE0} and \u{E000} B ☎\n")
        let result = TestBuild.build(site)
        try #require(result.succeeded)
        let boxes = result.diagnostics.filter { $0.message.contains("as a box") }
        #expect(boxes.count == 1, "\(result.diagnostics)")
        let warning = try #require(boxes.first)
        #expect(warning.severity == .warning && warning.location.path == "content/en/index.md")
        #expect(warning.message.contains("U+1FAE0") && warning.message.contains("U+E000") && !warning.message.contains("U+260E"),
                "\(warning.message)")
    }
}
