import Foundation
import TestSupport
import MonarchMarkdown
@testable import MonarchPrint

/// The shared folder beside the repository (`../shared`), found from this file's path so
/// that a clone elsewhere (CI) finds the copy beside it.
enum Shared {
    static let folder: URL? = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("shared")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("corpus/udhr/markdown").path) {
                return candidate
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    /// The UDHR Markdown of `code` (eng, cmn_hans, ...), front matter removed, and the
    /// number of front-matter lines.
    static func udhr(_ code: String) throws -> (body: String, lineOffset: Int) {
        guard let folder else { throw TestFailure("../shared/corpus/udhr/markdown not found beside the repository") }
        let text = try String(contentsOf: folder.appendingPathComponent("corpus/udhr/markdown/\(code).md"), encoding: .utf8)
        return stripFrontMatter(text)
    }

    static func stripFrontMatter(_ text: String) -> (body: String, lineOffset: Int) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == "---", let end = lines.dropFirst().firstIndex(of: "---") else { return (text, 0) }
        return (lines[(end + 1)...].joined(separator: "\n"), end + 1)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The five UDHR texts: corpus code, BCP 47 tag.
let udhrLanguages: [(code: String, tag: String)] = [
    ("eng", "en"), ("cmn_hans", "zh-Hans"), ("cmn_hant", "zh-Hant"), ("kor", "ko"), ("tha", "th"),
]

func udhrPage(_ code: String, tag: String, webAddress: String? = nil) throws -> PamphletPage {
    let (body, offset) = try Shared.udhr(code)
    // As the site reads a page: a leading `# Heading` becomes the title, printed once.
    var document = MarkdownDocument.parse(body)
    var title = code
    if case .heading(1, _, _)? = document.blocks.first?.kind {
        title = document.firstHeading1Text ?? code
        document.blocks.removeFirst()
    }
    return PamphletPage(document: document, title: title, author: "Maple Lantern Peer Network",
                        subject: "Universal Declaration of Human Rights", languageTag: tag,
                        footerText: "Maple Lantern Peer Network", webAddress: webAddress,
                        sourcePath: "corpus/udhr/markdown/\(code).md", bodyLineOffset: offset)
}

func page(_ markdown: String, tag: String = "en", title: String = "Test page", webAddress: String? = nil,
          resolveImage: @escaping @Sendable (String) -> URL? = { _ in nil },
          resolveLink: @escaping @Sendable (String) -> String = { $0 }) -> PamphletPage {
    PamphletPage(document: MarkdownDocument.parse(markdown), title: title, author: "Maple Lantern Peer Network",
                 subject: "A test", languageTag: tag, footerText: "Maple Lantern Peer Network", webAddress: webAddress,
                 resolveLink: resolveLink, resolveImage: resolveImage, sourcePath: "content/en/test.md", bodyLineOffset: 3)
}

let fixedDate = Date(timeIntervalSince1970: 1_700_000_000)
let letter = PamphletOptions(paper: .letter, creationDate: fixedDate)

extension Result where Failure == PamphletProblems {
    func pdf() throws -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let problems): throw TestFailure("render failed:\n\(problems)")
        }
    }
}

/// A scratch folder for one test, removed by the caller's `defer`.
func scratchFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("monarch-print-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs a command-line tool (poppler, qpdf, zbar) and returns its standard output.
@discardableResult
func tool(_ name: String, _ arguments: [String], allowFailure: Bool = false) throws -> String {
    try Command.tool(name, arguments, allowFailure: allowFailure)
}

/// Writes `data` to `name` in `folder` and returns the path.
func write(_ data: Data, _ name: String, in folder: URL) throws -> String {
    let url = folder.appendingPathComponent(name)
    try data.write(to: url)
    return url.path
}

// MARK: - Reading PDFs back

enum PDFText {
    /// `pdftotext` of the whole file or one page, optionally cropped to a rectangle in
    /// pixels at 72 dpi (points).
    static func text(_ path: String, page: Int? = nil, crop: (x: Int, y: Int, w: Int, h: Int)? = nil,
                     layout: Bool = false, raw: Bool = false) throws -> String {
        var args: [String] = []
        if raw { args.append("-raw") }
        if let page { args += ["-f", "\(page)", "-l", "\(page)"] }
        if let crop { args += ["-x", "\(crop.x)", "-y", "\(crop.y)", "-W", "\(crop.w)", "-H", "\(crop.h)"] }
        if layout { args.append("-layout") }
        return try tool("pdftotext", args + [path, "-"])
    }

    /// `pdfinfo` as key -> value.
    static func info(_ path: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for line in try tool("pdfinfo", [path]).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            out[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return out
    }

    /// The font names `pdffonts` lists, subset prefixes removed.
    static func fonts(_ path: String) throws -> [String] {
        try tool("pdffonts", [path]).split(separator: "\n").dropFirst(2).compactMap { line in
            guard let name = line.split(separator: " ").first else { return nil }
            return name.split(separator: "+").last.map(String.init)
        }
    }

    /// The document catalog as qpdf prints it.
    static func catalog(_ path: String) throws -> String {
        let trailer = try tool("qpdf", ["--show-object=trailer", path])
        guard let root = trailer.firstMatch(of: /\/Root (\d+) 0 R/)?.1 else { throw TestFailure("no /Root in \(trailer)") }
        return try tool("qpdf", ["--show-object=\(root)", path])
    }

    /// Every piece of the text with the footers ("<site> n / N") taken out.
    static func withoutFooters(_ text: String, footer: String = "Maple Lantern Peer Network") -> String {
        text.replacing(try! Regex("\\s*" + NSRegularExpression.escapedPattern(for: footer) + "\\s*\\d+\\s*/\\s*\\d+\\s*\u{0C}?"),
                       with: "\n")
    }
}

enum TextCompare {
    /// The source lines (one per block) that are not found, in order, in `output`.
    /// Whitespace is normalised to single spaces, or removed altogether for scripts
    /// written without spaces between words (Thai, Chinese).
    static func missingLines(source: String, output: String, removeWhitespace: Bool) -> [String] {
        func normalise(_ s: String) -> String {
            let parts = s.split(whereSeparator: { $0.isWhitespace || $0 == "\u{2028}" })
            return removeWhitespace ? parts.joined() : parts.joined(separator: " ")
        }
        // A line broken after a hyphen ("well‐" / "being") is one word.
        let haystack = normalise(output.replacing(/([\-\x{2010}])\n/, with: { $0.output.1 }))
        var missing: [String] = []
        var from = haystack.startIndex
        for line in source.split(separator: "\n") {
            let needle = normalise(String(line))
            guard !needle.isEmpty else { continue }
            if let range = haystack.range(of: needle, range: from..<haystack.endIndex) {
                from = range.upperBound
            } else {
                missing.append(needle)
            }
        }
        return missing
    }
}

/// With `MONARCH_PRINT_KEEP=/some/folder`, tests leave their PDFs there to look at.
func keep(_ data: Data, _ name: String) {
    guard let folder = ProcessInfo.processInfo.environment["MONARCH_PRINT_KEEP"] else { return }
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try? data.write(to: URL(fileURLWithPath: folder).appendingPathComponent(name))
}
