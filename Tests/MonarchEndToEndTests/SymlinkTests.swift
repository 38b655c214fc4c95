import Foundation
import TestSupport
import MonarchCore
import Testing

/// Issue #14, point 6: a symbolic link inside the site is followed only to a file that would
/// itself be published (or read) from its own place; a link into `.git`, to `.env`, to a
/// draft's source under another name, outside the published trees, or to a FIFO is an error
/// naming the link and its target, and the target's bytes are nowhere in the output. Special
/// files are errors and never opened: a FIFO hangs neither `build`, `check` nor `status`.
@Suite("Symbolic links and special files")
struct SymlinkTests {
    static let secret = "SECRET-7f3a9c-do-not-publish"

    /// The example site with a `.git/config`, a `.env` and a draft holding the secret.
    static func site() throws -> URL {
        let site = TestBuild.temporaryFolder("site")
        try TestBuild.copyExampleSite(to: site)
        let fm = FileManager.default
        try fm.createDirectory(at: site.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try "[remote]\n  token = \(secret)\n".write(to: site.appendingPathComponent(".git/config"), atomically: true, encoding: .utf8)
        try "API_KEY=\(secret)\n".write(to: site.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        try "---\ntitle: Plan\ndraft: true\n---\n\(secret)\n"
            .write(to: site.appendingPathComponent("content/en/plan.md"), atomically: true, encoding: .utf8)
        return site
    }

    static func link(_ path: String, to destination: String, in site: URL) throws {
        try FileManager.default.createSymbolicLink(atPath: site.appendingPathComponent(path).path,
                                                   withDestinationPath: destination)
    }

    /// `monarch <command>` on `site` with a time limit: exit status (124: timed out), stderr.
    static func monarch(_ command: [String], site: URL, output: URL? = nil) throws -> (status: Int32, stderr: String) {
        var arguments = ["30", Repo.monarchBinary.path] + command + ["--site", site.path]
        if let output { arguments += ["--output", output.path] }
        let result = try Command.run("/usr/bin/timeout", arguments, environment: ["MONARCH_HOME": Repo.root.path])
        return (result.status, result.err)
    }

    /// Whether any file under `folder` holds the secret (hidden ones too).
    static func leaks(_ folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var found: [String] = []
        while let path = walker.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path),
               data.range(of: Data(secret.utf8)) != nil { found.append(path) }
        }
        return found
    }

    @Test func linksToSecretsAreErrorsAndPublishNothing() throws {
        let site = try Self.site()
        try Self.link("content/en/logo.png", to: "../../.git/config", in: site)
        try Self.link("content/en/map.png", to: "../../.env", in: site)
        try Self.link("content/en/plan.txt", to: "plan.md", in: site)
        try Self.link("content/en/config.txt", to: "../../site.yaml", in: site)
        try Self.link("static/env.txt", to: "../.env", in: site)
        try Self.link("content/en/passwd.txt", to: "/etc/passwd", in: site)
        let output = site.deletingLastPathComponent().appendingPathComponent("public")
        let build = try Self.monarch(["build"], site: site, output: output)
        #expect(build.status == 1, "\(build.stderr)")
        for expected in [
            "content/en/logo.png: error: symbolic link to .git/config, a hidden file or folder, which is never published",
            "content/en/map.png: error: symbolic link to .env, a hidden file or folder, which is never published",
            "content/en/plan.txt: error: symbolic link to content/en/plan.md, a file of another type than its name says",
            "content/en/config.txt: error: symbolic link to site.yaml, which is not published from its own place",
            "static/env.txt: error: symbolic link to .env, a hidden file or folder",
            "content/en/passwd.txt: error: symbolic link to /etc/passwd, outside the site folder",
        ] {
            #expect(build.stderr.contains(expected), "missing: \(expected)\n\(build.stderr)")
        }
        #expect(!build.stderr.contains(Self.secret))
        #expect(Self.leaks(output).isEmpty)
        let check = try Self.monarch(["check"], site: site)
        #expect(check.status == 1)
        #expect(check.stderr.contains("content/en/logo.png: error: symbolic link to .git/config"), "\(check.stderr)")
    }

    @Test func aLinkToAPublishedFileOfTheSameTypeIsFollowed() throws {
        let site = try Self.site()
        try "a notice\n".write(to: site.appendingPathComponent("static/notice.txt"), atomically: true, encoding: .utf8)
        try Self.link("content/en/notice.txt", to: "../../static/notice.txt", in: site)
        // Published because a page links to it (a file no page uses is not).
        try "---\ntitle: Notice\n---\n[The notice](notice.txt)\n".write(to: site.appendingPathComponent("content/en/notice.md"),
                                                                           atomically: true, encoding: .utf8)
        // A page linked to a draft is that draft: its own front matter keeps it unpublished.
        try Self.link("content/en/plan-copy.md", to: "plan.md", in: site)
        let result = TestBuild.build(site)
        #expect(result.succeeded, "\(result.diagnostics)")
        #expect(try result.text("en/notice.txt") == "a notice\n")
        #expect(Self.leaks(result.output).isEmpty)
    }

    @Test func templatesAndTranslationsFollowTheSameRule() throws {
        let site = try Self.site()
        try Self.link("templates/partials/leak.mustache", to: "../../.env", in: site)
        try FileManager.default.removeItem(at: site.appendingPathComponent("translations/en.yaml"))
        try Self.link("translations/en.yaml", to: "../.git/config", in: site)
        let build = try Self.monarch(["build"], site: site, output: site.deletingLastPathComponent().appendingPathComponent("public"))
        #expect(build.status == 1, "\(build.stderr)")
        #expect(build.stderr.contains("templates/partials/leak.mustache: error: symbolic link to .env, a hidden file or folder"),
                "\(build.stderr)")
        #expect(build.stderr.contains("translations/en.yaml: error: symbolic link to .git/config, a hidden file or folder"),
                "\(build.stderr)")
        #expect(!build.stderr.contains(Self.secret))
    }

    @Test func fifosAreErrorsAndHangNothing() throws {
        let site = try Self.site()
        #expect(mkfifo(site.appendingPathComponent("content/en/pipe.png").path, 0o644) == 0)
        #expect(mkfifo(site.appendingPathComponent("static/feed.txt").path, 0o644) == 0)
        #expect(mkfifo(site.appendingPathComponent("fifo.pdf").path, 0o644) == 0)
        try Self.link("content/en/leaflet.pdf", to: "../../fifo.pdf", in: site)
        try Self.link("content/en/other.pdf", to: "../../static/feed.txt", in: site)
        #expect(mkfifo(site.appendingPathComponent("content/en/page.md").path, 0o644) == 0)
        let output = site.deletingLastPathComponent().appendingPathComponent("public")
        for command in [["build"], ["check"], ["status"]] {
            let run = try Self.monarch(command, site: site, output: command == ["build"] ? output : nil)
            #expect(run.status == 1, "\(command): exit \(run.status) (124 is a hang)\n\(run.stderr)")
            for expected in [
                "content/en/pipe.png: error: is a FIFO (named pipe), not a file",
                "static/feed.txt: error: is a FIFO (named pipe), not a file",
                "content/en/leaflet.pdf: error: symbolic link to fifo.pdf, which is a FIFO (named pipe), not a file",
                "content/en/page.md: error: is a FIFO (named pipe), not a file",
            ] where command != ["status"] || expected.hasPrefix("content/") {
                #expect(run.stderr.contains(expected), "\(command) missing: \(expected)\n\(run.stderr)")
            }
        }
    }

    @Test func aFIFOInPlaceOfSiteYAMLOrATranslationHangsNothing() throws {
        let site = try Self.site()
        try FileManager.default.removeItem(at: site.appendingPathComponent("translations/ko.yaml"))
        #expect(mkfifo(site.appendingPathComponent("translations/ko.yaml").path, 0o644) == 0)
        let build = try Self.monarch(["build"], site: site, output: site.deletingLastPathComponent().appendingPathComponent("public"))
        #expect(build.status == 1, "exit \(build.status) (124 is a hang)\n\(build.stderr)")
        #expect(build.stderr.contains("translations/ko.yaml: error: is not a regular file"), "\(build.stderr)")

        try FileManager.default.removeItem(at: site.appendingPathComponent("site.yaml"))
        #expect(mkfifo(site.appendingPathComponent("site.yaml").path, 0o644) == 0)
        for command in [["build"], ["check"], ["status"]] {
            let run = try Self.monarch(command, site: site)
            #expect(run.status == 1, "\(command): exit \(run.status) (124 is a hang)\n\(run.stderr)")
            #expect(run.stderr.contains("site.yaml: error: is not a regular file"), "\(command): \(run.stderr)")
        }
    }

    @Test func aFolderLinkedOutOfTheSiteIsNotWalked() throws {
        let site = try Self.site()
        let outside = site.deletingLastPathComponent().appendingPathComponent("home")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try "\(Self.secret)\n".write(to: outside.appendingPathComponent("diary.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: site.appendingPathComponent("static"))
        try Self.link("static", to: outside.path, in: site)
        let result = TestBuild.build(site)
        #expect(!result.succeeded)
        #expect(result.diagnostics.map(\.description).contains { $0.hasPrefix("static: error: the folder is a symbolic link to \(outside.resolvingSymlinksInPath().path), outside the site folder") },
                "\(result.diagnostics)")
    }
}
