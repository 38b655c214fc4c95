import Foundation
import TestSupport
import MonarchCore
import Testing
@testable import MonarchSite

/// Issue #6, point 4: no front-matter value, file name or link makes monarch read or write
/// outside the site and output folders. A secret file sits beside the site folder; pages try
/// to reach it (and /etc/passwd) with `..`, absolute paths, percent-encoded dots and slashes,
/// backslashes, `file:` URLs and Unicode look-alikes of the dot (two-dot leader, fullwidth and
/// one-dot leader), as links, as images (read for the pamphlet too) and as front-matter values.
@Suite("Nothing outside the site")
struct PathSafetyTests {
    static let marker = "TOP-SECRET-MARKER-7731"

    static let attempts = [
        "../../../secret.txt", "../../../../../../../../etc/passwd", "/etc/passwd", "/../secret.txt",
        "%2e%2e/%2e%2e/%2e%2e/secret.txt", "..%2F..%2F..%2Fsecret.txt", "%252e%252e/secret.txt",
        "..\\..\\..\\secret.txt", "file:///etc/passwd", "file://localhost/etc/passwd",
        "\u{2025}/\u{2025}/\u{2025}/secret.txt", "\u{FF0E}\u{FF0E}/\u{FF0E}\u{FF0E}/\u{FF0E}\u{FF0E}/secret.txt",
        "\u{2024}\u{2024}/\u{2024}\u{2024}/secret.txt", "..\u{2215}..\u{2215}secret.txt",
    ]

    @Test func noLinkImageOrValueReachesOutside() throws {
        let fm = FileManager.default
        let root = TestBuild.temporaryFolder("root")
        let site = root.appendingPathComponent("site")
        let output = root.appendingPathComponent("out")
        try fm.createDirectory(at: site.appendingPathComponent("content/en"), withIntermediateDirectories: true)
        try Data("\(Self.marker)\n".utf8).write(to: root.appendingPathComponent("secret.txt"))
        try Data("title: Paths\nbase_url: https://example.org/\nlanguages:\n  - {key: en, tag: en, name: English}\n".utf8)
            .write(to: site.appendingPathComponent("site.yaml"))
        var lines = ["---", "title: \"../../../secret.txt\"", "description: \"/etc/passwd\"", "pamphlet: true", "---", "Attempts:", ""]
        for (i, attempt) in Self.attempts.enumerated() {
            lines.append("Link \(i): [a](<\(attempt)>) [b](<\(attempt).md>) [c](<\(attempt)#x>) and image ![i\(i)](<\(attempt)>)")
            lines.append("")
        }
        try Data(lines.joined(separator: "\n").utf8).write(to: site.appendingPathComponent("content/en/index.md"))
        try Data("---\ntitle: Search\n---\nx\n".utf8).write(to: site.appendingPathComponent("content/en/search.md"))
        try Data("---\ntitle: Safety\n---\nx\n".utf8).write(to: site.appendingPathComponent("content/en/safety.md"))
        let before = try fm.contentsOfDirectory(atPath: root.path).sorted()

        let result = TestBuild.build(site, into: output)
        // Whatever the build made of them (errors or harmless relative links), nothing it
        // wrote holds the secret, and nothing was written beside the site and output folders.
        for path in FileList.files(in: output) {
            let data = try Data(contentsOf: output.appendingPathComponent(path))
            #expect(!String(decoding: data, as: UTF8.self).contains(Self.marker), "\(path) holds the secret")
            #expect(!String(decoding: data, as: UTF8.self).contains("root:x:0:0"), "\(path) holds /etc/passwd")
        }
        let after = try fm.contentsOfDirectory(atPath: root.path).sorted()
        let added = Set(after).subtracting(before)
        #expect(added.isSubset(of: ["out", ".out.monarch-staging", ".out.monarch-cache", ".out.monarch-lock"]), "written outside: \(added)")
        #expect(try String(contentsOf: root.appendingPathComponent("secret.txt"), encoding: .utf8) == "\(Self.marker)\n")

        // Images that climb out of the site are errors at their place, never read.
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(!result.succeeded, "images outside the site must fail the build")
        #expect(errors.contains { $0.location.path == "content/en/index.md" && $0.location.line != nil },
                "\(result.diagnostics.map(\.description))")
        for diagnostic in result.diagnostics {
            #expect(!diagnostic.message.contains(Self.marker))
        }
    }

    @Test func fileNamesThatLookLikePathsStayInTheOutput() throws {
        let fm = FileManager.default
        let root = TestBuild.temporaryFolder("root")
        let site = root.appendingPathComponent("site")
        let output = root.appendingPathComponent("out")
        try fm.createDirectory(at: site.appendingPathComponent("content/en"), withIntermediateDirectories: true)
        try Data("title: Names\nlanguages:\n  - {key: en, tag: en, name: English}\n".utf8)
            .write(to: site.appendingPathComponent("site.yaml"))
        for name in ["index", "search", "safety", "%2e%2e", "\u{2025}", "\u{FF0E}\u{FF0E}", "..%2F..%2Fescape", "a\\..\\..\\b"] {
            try Data("---\ntitle: \(name == "index" ? "Home" : "Page")\n---\nx\n".utf8)
                .write(to: site.appendingPathComponent("content/en/\(name).md"))
        }
        let before = try fm.contentsOfDirectory(atPath: root.path).sorted()
        let result = TestBuild.build(site, into: output)
        #expect(result.succeeded, "\(result.diagnostics.map(\.description))")
        let after = try fm.contentsOfDirectory(atPath: root.path).sorted()
        #expect(Set(after).subtracting(before).isSubset(of: ["out", ".out.monarch-staging", ".out.monarch-cache", ".out.monarch-lock"]))
        // Every page landed under out/en/ with its name as a folder.
        for path in FileList.files(in: output) where path.hasSuffix("index.html") && path != "index.html" && path != "404.html" {
            #expect(path.hasPrefix("en/") || path.hasPrefix("offline/"), "\(path)")
        }
        #expect(result.exists("en/%2e%2e/index.html"))
        #expect(result.exists("en/\u{2025}/index.html"))
    }
}

/// Page and file names become addresses: a character a URL path cannot hold is
/// percent-encoded in every href the theme writes, letters of any script are kept.
@Suite("Hrefs from file names")
struct HrefFromFileNameTests {
    @Test func spacesHashesAndPercentSignsAreEncodedAndTheLinksLeadToThePages() throws {
        let site = TestBuild.temporaryFolder("site")
        let content = site.appendingPathComponent("content/en")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        try "title: S\nlanguages:\n  - {key: en, tag: en, name: English}\n"
            .write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        try "---\ntitle: Home\n---\nSee [it](<my page.md>).\n"
            .write(to: content.appendingPathComponent("index.md"), atomically: true, encoding: .utf8)
        for name in ["my page", "no #1", "100% safe", "สิทธิ"] {
            try "---\ntitle: \(name)\n---\nText.\n".write(to: content.appendingPathComponent("\(name).md"),
                                                   atomically: true, encoding: .utf8)
        }
        let result = TestBuild.build(site)
        #expect(result.succeeded, "\(result.diagnostics.map(\.description))")
        let home = try result.text("en/index.html")
        for href in ["my%20page/", "no%20%231/", "100%25%20safe/", "สิทธิ/"] {
            #expect(home.contains("href=\"\(href)\""), "no href=\"\(href)\" on the home page")
            let folder = href.removingPercentEncoding!
            #expect(result.exists("en/\(folder)index.html"), "en/\(folder)index.html")
        }
        // No href on any page holds a space, a second # or a raw %.
        for (path, data) in TestBuild.snapshot(result.output) where path.hasSuffix(".html") {
            let text = String(decoding: data, as: UTF8.self)
            for match in text.matches(of: /href="([^"]*)"/) {
                let href = String(match.1)
                #expect(!href.contains(" "), "\(path): \(href)")
                #expect(href.split(separator: "#", omittingEmptySubsequences: false).count <= 2, "\(path): \(href)")
                #expect(href.firstMatch(of: /%(?![0-9A-F]{2})/) == nil, "\(path): \(href)")
            }
        }
    }
}
