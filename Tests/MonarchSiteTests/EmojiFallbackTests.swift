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
        let site = try TestBuild.englishSite(home: "---\ntitle: Home\npamphlet: true\n---\nA \u{1FAE0} B\n")
        let result = TestBuild.build(site)
        try #require(result.succeeded)
        let pdf = try #require(FileList.files(in: result.output).first { $0.hasSuffix(".pdf") })
        let images = try Command.tool("pdfimages", ["-list", result.output.appendingPathComponent(pdf).path])
        let rows = images.split(separator: "\n").dropFirst(2)
        #expect(rows.isEmpty, "colour pictures in the PDF:\n\(images)")
    }
}
