import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// The whole output of the `i18n` fixture against a recorded copy in Tests/Fixtures/golden/.
/// A change to templates or rendering shows here as a readable diff. Re-record on purpose
/// with MONARCH_RECORD=1 (the test then fails, so a recording is never silent).
@Suite("Golden output")
struct GoldenOutputTests {
    @Test func i18nFixtureMatchesTheRecordedOutput() throws {
        let golden = Repo.fixtures.appendingPathComponent("golden/i18n")
        let result = MultilingualOutputTests.build
        try #require(result.succeeded)
        let actual = TestBuild.snapshot(result.output)
        if ProcessInfo.processInfo.environment["MONARCH_RECORD"] == "1" {
            try? FileManager.default.removeItem(at: golden)
            for (path, data) in actual {
                let url = golden.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            Issue.record("recorded \(golden.path); review it with git diff and run again without MONARCH_RECORD")
            return
        }
        let expected = TestBuild.snapshot(golden)
        #expect(actual.keys.sorted() == expected.keys.sorted())
        for (path, data) in expected {
            guard let got = actual[path] else { continue }
            if got != data {
                let a = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let b = String(decoding: got, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let line = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
                Issue.record("\(path) differs at line \(line + 1):\n  expected: \(line < a.count ? String(a[line]) : "<end>")\n  actual:   \(line < b.count ? String(b[line]) : "<end>")")
            }
        }
    }
}
