import Foundation
import MonarchFuzz
import Testing

/// Every input saved under `Tests/Fixtures/fuzz/<target>/` (crashes libFuzzer found, once
/// fixed, and hand-made hostile inputs) goes through the same function as the fuzz target
/// (`FuzzInputs`), so that a fixed crash stays fixed. `make fuzz` runs the fuzzers themselves.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz")

    static func inputs(_ target: FuzzInputs.Target) -> [URL] {
        let dir = folder.appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { dir.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzInputs.Target.allCases)
    func savedInputsRunCleanly(_ target: FuzzInputs.Target) throws {
        let inputs = Self.inputs(target)
        #expect(!inputs.isEmpty, "no saved inputs for \(target.rawValue)")
        for url in inputs {
            FuzzInputs.run(target, try Data(contentsOf: url))
        }
    }

    /// Hostile shapes made here rather than saved: YAML and Markdown nested 10,000 deep, and
    /// YAML aliases that would expand to a billion nodes.
    @Test func deepAndExplodingInputs() {
        let deepFlow = "title: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n"
        let deepBlock = (0..<2_000).map { String(repeating: "  ", count: $0) + "a:" }.joined(separator: "\n") + " x\n"
        var laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<10 { laughs += "\(Character(UnicodeScalar(97 + i)!)): &\(Character(UnicodeScalar(97 + i)!)) [" + Array(repeating: "*\(Character(UnicodeScalar(96 + i)!))", count: 10).joined(separator: ", ") + "]\n" }
        for yaml in [deepFlow, deepBlock, laughs] {
            FuzzInputs.run(.siteconfig, Data(yaml.utf8))
            FuzzInputs.run(.translations, Data(yaml.utf8))
            FuzzInputs.run(.markdown, Data(("---\n" + yaml + "---\nText.\n").utf8))
        }
        let deepMarkdown = String(repeating: "> ", count: 10_000) + "quote\n\n"
            + String(repeating: "- ", count: 10_000) + "item\n\n" + String(repeating: "1. ", count: 10_000) + "item\n\n"
            + String(repeating: "*a ", count: 10_000) + String(repeating: "[", count: 10_000) + "x" + String(repeating: "](u)", count: 10_000)
        FuzzInputs.run(.markdown, Data(deepMarkdown.utf8))
    }
}
