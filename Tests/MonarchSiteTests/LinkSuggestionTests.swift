import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// A mistyped link is answered with the nearest names, not a list of every id (issue #18,
/// point 5).
@Suite("Links that suggest")
struct LinkSuggestionTests {
    @Test func misspeltPageImageAndAnchorGetTheNearestNames() throws {
        let headings = (1...16).map { "## Section number \($0)\n\nText.\n" }.joined(separator: "\n")
        let site = try TestBuild.englishSite(home: "---\ntitle: Home\n---\n"
            + "[policy](privacy/mozilla-privacy-polcy.md) and [anchor](privacy/mozilla-privacy-policy.md#sectoin-number-3) "
            + "and [far](privacy/mozilla-privacy-policy.md#cookies)\n\n![map](privacy/flow.pgn)\n", files: [
                "content/en/privacy/mozilla-privacy-policy.md": "---\ntitle: Privacy\n---\n" + headings,
            ])
        try ImageResolutionTests.png().write(to: site.appendingPathComponent("content/en/privacy/flow.png"))
        let result = TestBuild.build(site, write: false)
        #expect(!result.succeeded)
        #expect(result.diagnostics.map(\.description) == [
            "content/en/index.md:4:1: error: link to 'privacy/mozilla-privacy-polcy.md', but there is no page "
            + "content/en/privacy/mozilla-privacy-polcy.md; did you mean 'privacy/mozilla-privacy-policy.md'?",
            "content/en/index.md:4:48: error: link to 'privacy/mozilla-privacy-policy.md#sectoin-number-3', but "
            + "content/en/privacy/mozilla-privacy-policy.md has no heading or footnote with that id; did you mean 'section-number-3'?",
            "content/en/index.md:4:113: error: link to 'privacy/mozilla-privacy-policy.md#cookies', but "
            + "content/en/privacy/mozilla-privacy-policy.md has no heading or footnote with that id; "
            + "the nearest of its 16 headings are: section-number-1, section-number-2, section-number-3",
            "content/en/index.md:6:1: error: image 'privacy/flow.pgn' not found: there is no content/en/privacy/flow.pgn; "
            + "did you mean 'privacy/flow.png'?",
        ], "\(result.diagnostics.map(\.description).joined(separator: "\n"))")
    }

    /// A translation shows the source language's image when it lacks its own: a misspelt
    /// name there is answered from both folders.
    @Test func aTranslationsMisspeltImageIsAnsweredFromTheSourceLanguage() throws {
        let site = try TestBuild.englishSite(yaml: "  - {key: th, tag: th, name: ไทย}\n", files: [
            "content/th/index.md": "---\ntitle: หน้าแรก\n---\n![แผนที่](privacy/flwo.png)\n",
        ])
        try FileManager.default.createDirectory(at: site.appendingPathComponent("content/en/privacy"), withIntermediateDirectories: true)
        try ImageResolutionTests.png().write(to: site.appendingPathComponent("content/en/privacy/flow.png"))
        let result = TestBuild.build(site, write: false)
        #expect(result.diagnostics.map(\.description) == [
            "content/th/index.md:4:1: error: image 'privacy/flwo.png' not found: there is no content/th/privacy/flwo.png; "
            + "did you mean 'privacy/flow.png'?",
        ], "\(result.diagnostics.map(\.description))")
    }
}
