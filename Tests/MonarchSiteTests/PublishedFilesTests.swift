import Foundation
import TestSupport
import MonarchCore
import Testing

/// Issue #14, point 2: under `content/`, only pages and files a page can show are published;
/// an `.html`, `.js` or any other type there is an error naming it, unless `unsafe_html: true`.
/// With `security_headers: true` the build writes `_headers` and `.htaccess` with the pages'
/// Content-Security-Policy.
@Suite("Published files")
struct PublishedFilesTests {
    /// A one-language site with `files` beside its home page (path under content/en -> bytes).
    static func site(yaml extra: String = "", files: [String: String]) throws -> URL {
        try TestBuild.englishSite(yaml: extra, files: Dictionary(uniqueKeysWithValues: files.map { ("content/en/" + $0.key, $0.value) }))
    }

    static let hostile = [
        "x/evil.html": "<script>alert(document.domain)</script>",
        "evil.htm": "<script>alert(1)</script>",
        "sw.js": "self.addEventListener('fetch', e => e.respondWith(new Response('owned')))",
        "module.mjs": "export {}",
        "style.css": "body{}",
        "feed.xml": "<x/>",
        "page.xhtml": "<html xmlns='http://www.w3.org/1999/xhtml'><script>alert(1)</script></html>",
        "index.php": "<?php ?>",
        "app.wasm": "\0asm",
        "data.json": "{}",
        "site.webmanifest": "{}",
        "README": "no extension",
        "Notes.MD": "# an upper-case extension is not a page",
    ]

    @Test func everyOtherTypeUnderContentIsAnErrorNamingTheFile() throws {
        let site = try Self.site(files: Self.hostile)
        let result = TestBuild.build(site)
        #expect(!result.succeeded)
        #expect(!FileManager.default.fileExists(atPath: result.output.path), "nothing is written")
        let lines = result.diagnostics.map(\.description)
        for path in Self.hostile.keys {
            let name = path.split(separator: "/").last!
            #expect(lines.contains("content/en/\(path): error: '\(name)' is not published: only pages and files a page can show (images, PDFs, audio, video, documents) are; move it to static/ if it is meant for the site, or remove it"),
                    "\(path): \(lines)")
        }
    }

    @Test func imagesDocumentsAndMediaArePublished() throws {
        let files = ["a.png", "b.JPG", "c.jpeg", "d.gif", "e.webp", "f.avif", "g.svg", "h.pdf", "i.mp3", "j.ogg",
                     "k.oga", "l.m4a", "m.wav", "n.webm", "o.mp4", "p.txt", "q.csv", "r.odt", "s.ods", "t.docx",
                     "u.xlsx", "v.epub", "docs/w.pdf"]
        // Images must be images: Monarch publishes its own copy of each (issue #19).
        let images: Set<String> = ["a.png", "b.JPG", "c.jpeg", "d.gif", "e.webp", "f.avif"]
        let site = try Self.site(files: Dictionary(uniqueKeysWithValues: files.filter { !images.contains($0) }.map { ($0, "bytes of \($0)") }))
        let halves = site.appendingPathComponent("halves.jpg")
        try TestPhotos.halves(to: halves)
        for image in images {
            let made = try Command.run("/usr/bin/vips", ["copy", halves.path, site.appendingPathComponent("content/en/\(image)").path])
            try #require(made.status == 0, "\(image): \(made.err)")
        }
        try FileManager.default.removeItem(at: halves)
        // Published because a page links to each (a file no page uses is not: CheckTests).
        try TestBuild.write("---\ntitle: Files\n---\n" + files.map { "[\($0)](\($0))" }.joined(separator: "\n\n") + "\n",
                            "content/en/files.md", in: site)
        let result = TestBuild.build(site)
        #expect(result.succeeded, "\(result.diagnostics)")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        for file in files { #expect(result.exists("en/\(file)"), "\(file)") }
    }

    @Test func unsafeHTMLPublishesThemAsTheyAre() throws {
        let site = try Self.site(yaml: "unsafe_html: true\n", files: ["x/evil.html": "<p>trusted</p>", "app.js": "1"])
        let result = TestBuild.build(site)
        #expect(result.succeeded, "\(result.diagnostics)")
        #expect(try result.text("en/x/evil.html") == "<p>trusted</p>")
        #expect(result.exists("en/app.js"))
    }

    @Test func staticIsTheThemeOwnersAndKeepsEveryType() throws {
        let site = try Self.site(files: [:])
        let staticFolder = site.appendingPathComponent("static")
        try FileManager.default.createDirectory(at: staticFolder, withIntermediateDirectories: true)
        try "console.log(1)".write(to: staticFolder.appendingPathComponent("theme.js"), atomically: true, encoding: .utf8)
        let result = TestBuild.build(site)
        #expect(result.succeeded, "\(result.diagnostics)")
        #expect(result.exists("theme.js"))
    }

    // MARK: security_headers

    static let others = [
        "X-Content-Type-Options: nosniff",
        "Referrer-Policy: no-referrer",
        "Permissions-Policy: accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
        "X-Frame-Options: DENY",
    ]

    @Test func securityHeadersCarryThePagesPolicy() throws {
        let site = try Self.site(yaml: "security_headers: true\n", files: [:])
        let result = TestBuild.build(site)
        #expect(result.succeeded, "\(result.diagnostics)")
        let page = try result.text("en/index.html")
        let meta = try #require(page.firstMatch(of: /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/))
        let policy = String(meta.output.1).replacingOccurrences(of: "&#39;", with: "'") + "; frame-ancestors 'none'"
        #expect(policy.hasPrefix("default-src 'self';"), "\(policy)")

        let netlify = try result.text("_headers")
        #expect(netlify == "/*\n  Content-Security-Policy: \(policy)\n" + Self.others.map { "  \($0)\n" }.joined())

        let apache = try result.text(".htaccess")
        let expected = ["Content-Security-Policy: \(policy)"] + Self.others
        #expect(apache == "<IfModule mod_headers.c>\n" + expected.map { line -> String in
            let (name, value) = (line.split(separator: ":", maxSplits: 1)[0], line.split(separator: ":", maxSplits: 1)[1].dropFirst())
            return "  Header always set \(name) \"\(value)\"\n"
        }.joined() + "</IfModule>\n")
    }

    @Test func noHeaderFilesUnlessAskedFor() throws {
        let result = TestBuild.build(try Self.site(files: [:]))
        #expect(result.succeeded, "\(result.diagnostics)")
        #expect(!result.exists("_headers"))
        #expect(!result.exists(".htaccess"))
    }

    @Test func aThemeWithoutAPolicyCannotPromiseHeaders() throws {
        let site = try Self.site(yaml: "security_headers: true\n", files: [:])
        let partials = site.appendingPathComponent("templates/partials")
        try FileManager.default.createDirectory(at: partials, withIntermediateDirectories: true)
        let head = try String(contentsOf: Repo.root.appendingPathComponent("templates/partials/head.mustache"), encoding: .utf8)
        let without = head.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("Content-Security-Policy") }.joined(separator: "\n")
        try without.write(to: partials.appendingPathComponent("head.mustache"), atomically: true, encoding: .utf8)
        let result = TestBuild.build(site)
        #expect(!result.succeeded)
        #expect(result.diagnostics.map(\.description).contains { $0.hasPrefix("site.yaml: error: security_headers: true, but the theme's pages have no") },
                "\(result.diagnostics)")
    }

    @Test func aMisspeltKeyIsStillReported() throws {
        let result = TestBuild.build(try Self.site(yaml: "security_header: true\n", files: [:]))
        #expect(result.diagnostics.map(\.description).contains { $0.contains("security_header") && $0.contains("security_headers") },
                "\(result.diagnostics)")
    }
}
