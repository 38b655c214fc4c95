import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// Each folder under Tests/Fixtures/invalid/ is a site with one kind of mistake and an
/// `expected.txt` holding the exact diagnostics a build must print. Set MONARCH_RECORD=1 to
/// re-record them on purpose: recording fails the test, so it is never silent.
@Suite("Diagnostics of broken sites")
struct DiagnosticsTests {
    static let cases = FileList.files(in: Repo.fixtures.appendingPathComponent("invalid"))
        .filter { $0.hasSuffix("/site.yaml") }
        .map { String($0.dropLast("/site.yaml".count)) }

    @Test(arguments: cases)
    func reportsEveryErrorWithItsPosition(name: String) throws {
        let site = Repo.invalid(name)
        let output = TestBuild.temporaryFolder()
        let result = TestBuild.build(site, into: output)
        #expect(!result.succeeded, "a broken site must fail")
        #expect(!FileManager.default.fileExists(atPath: output.path), "a failed build writes nothing")
        let actual = result.diagnostics.map(\.description).joined(separator: "\n") + "\n"
        let expectedURL = site.appendingPathComponent("expected.txt")
        if ProcessInfo.processInfo.environment["MONARCH_RECORD"] == "1" {
            try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
            Issue.record("recorded \(expectedURL.path); check it and run again without MONARCH_RECORD")
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(actual == expected)
        #expect(result.diagnostics.contains { $0.severity == .error })
        for diagnostic in result.diagnostics {
            #expect(!diagnostic.location.path.hasPrefix("/"), "paths are relative to the site folder")
        }
    }

    @Test func aBuildReportsAllItsErrorsNotJustTheFirst() {
        let result = TestBuild.build(Repo.invalid("multiple-errors"))
        let files = Set(result.diagnostics.filter { $0.severity == .error }.map(\.location.path))
        #expect(files.count >= 3, "errors from every broken file: \(files)")
    }
}
