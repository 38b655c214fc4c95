import Foundation
import Testing

/// Finds the shared corpus beside the repository (`<repo>/../shared/`) from this file's
/// path, walking up so that it works wherever the repository is cloned; the environment
/// variable `MONARCH_SHARED` overrides it.
enum SharedCorpus {
    static let directory: URL? = {
        let fm = FileManager.default
        if let override = ProcessInfo.processInfo.environment["MONARCH_SHARED"] {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("shared", isDirectory: true)
            if fm.fileExists(atPath: candidate.appendingPathComponent("corpus/commonmark/spec.json").path) {
                return candidate
            }
            dir.deleteLastPathComponent()
        }
        return nil
    }()

    static func file(_ relativePath: String) -> URL? {
        directory?.appendingPathComponent(relativePath)
    }

    static func data(_ relativePath: String) -> Data? {
        file(relativePath).flatMap { try? Data(contentsOf: $0) }
    }
}

/// One example of a CommonMark spec-format file.
struct SpecExample: Sendable, CustomTestStringConvertible {
    var number: Int
    var section: String
    var markdown: String
    var html: String
    /// The word after `example` on the opening fence (`table`, `strikethrough`, ...), if any.
    var kind = ""

    var testDescription: String { "Example \(number) (\(section))" }
}

enum SpecCorpus {
    /// The 652 examples of CommonMark 0.30, from `spec.json`.
    static let examples: [SpecExample] = {
        struct Entry: Decodable {
            var markdown: String
            var html: String
            var example: Int
            var section: String
        }
        guard let data = SharedCorpus.data("corpus/commonmark/spec.json"),
              let entries = try? JSONDecoder().decode([Entry].self, from: data) else { return [] }
        return entries.map { SpecExample(number: $0.example, section: $0.section, markdown: $0.markdown, html: $0.html) }
    }()

    /// Examples from a file in the spec's own format (regression.txt, smart_punct.txt).
    static func examples(inSpecFormat relativePath: String) -> [SpecExample] {
        guard let data = SharedCorpus.data(relativePath) else { return [] }
        let text = String(decoding: data, as: UTF8.self)
        let fence = String(repeating: "`", count: 32)
        var result: [SpecExample] = []
        var section = ""
        var state = 0  // 0 outside, 1 markdown, 2 html
        var markdown = "", html = "", kind = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if state == 0 {
                if line.hasPrefix("#") { section = line.drop { $0 == "#" || $0 == " " }.description }
                if line.hasPrefix(fence), line.dropFirst(32).hasPrefix(" example") {
                    kind = line.dropFirst(32 + 8).trimmingCharacters(in: .whitespaces)
                    state = 1
                    markdown = ""
                    html = ""
                }
            } else if state == 1 {
                if line == "." { state = 2 } else { markdown += line + "\n" }
            } else if line.hasPrefix(fence) {
                let tab = { (s: String) in s.replacingOccurrences(of: "→", with: "\t") }
                result.append(SpecExample(number: result.count + 1, section: section, markdown: tab(markdown), html: tab(html), kind: kind))
                state = 0
            } else {
                html += line + "\n"
            }
        }
        return result
    }
}
