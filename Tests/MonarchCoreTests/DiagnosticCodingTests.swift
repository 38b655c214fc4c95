import Foundation
import Testing
@testable import MonarchCore

/// The build cache's record and a print worker's manifest carry diagnostics as flat objects.
@Suite("Diagnostic as JSON")
struct DiagnosticCodingTests {
    @Test func roundTripsAsOneFlatObject() throws {
        let diagnostics = [Diagnostic.warning(SourceLocation(path: "content/th/a.md", line: 3, column: 7), "ไทย; do this"),
                           Diagnostic.error(SourceLocation(path: "site.yaml"), "whole file")]
        let data = try JSONEncoder().encode(diagnostics)
        let objects = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(Set(objects[0].keys) == ["severity", "path", "line", "column", "message"])
        #expect(Set(objects[1].keys) == ["severity", "path", "message"])
        #expect(objects[0]["severity"] as? String == "warning")
        #expect(try JSONDecoder().decode([Diagnostic].self, from: data) == diagnostics)
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode(Diagnostic.self, from: Data(#"{"severity":"fatal","path":"a","message":"m"}"#.utf8))
        }
    }
}
