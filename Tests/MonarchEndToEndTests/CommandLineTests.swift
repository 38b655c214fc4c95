import Foundation
import TestSupport
import Testing

/// The monarch binary: exit status 0 / 1 / 2, diagnostics on standard error, summary line.
@Suite("Command line", .enabled(if: FileManager.default.fileExists(atPath: Repo.monarchBinary.path)))
struct CommandLineTests {
    @Test func successfulBuildExitsZeroWithSummary() throws {
        let output = TestBuild.temporaryFolder()
        let run = try TestBuild.run(["build", "--site", Repo.site("i18n").path, "--output", output.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("monarch: built 15 pages in 3 languages, 0 pamphlets, 0 warnings in"))
    }

    @Test func brokenSiteExitsOneWithCompilerStyleLines() throws {
        let output = TestBuild.temporaryFolder()
        let run = try TestBuild.run(["build", "--site", Repo.invalid("unknown-front-matter-key").path, "--output", output.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("content/en/index.md:2:1: error: unknown front matter key 'titel'; did you mean 'title'?\n"))
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func badUsageExitsTwo() throws {
        #expect(try TestBuild.run(["build", "--no-such-flag"]).status == 2)
        #expect(try TestBuild.run(["frobnicate"]).status == 2)
        // A site folder that is not there, or a file: said so, before any lock file.
        let missing = try TestBuild.run(["build", "--site", "/nonexistent/site"])
        #expect(missing.status == 2 && missing.stderr.contains("--site /nonexistent/site: there is no such folder"), "\(missing.stderr)")
        let file = try TestBuild.run(["check", "--site", Repo.site("i18n").appendingPathComponent("site.yaml").path])
        #expect(file.status == 2 && file.stderr.contains("is a file, not a folder") && !file.stderr.contains("lock"), "\(file.stderr)")
    }

    @Test func checkWritesNothingAndExitsZero() throws {
        let run = try TestBuild.run(["check", "--site", Repo.site("i18n").path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: Repo.site("i18n").appendingPathComponent("public").path))
    }
}

/// `monarch check --strict`, `monarch new` and `monarch status` on copies of real sites.
@Suite("Editor commands", .enabled(if: FileManager.default.fileExists(atPath: Repo.monarchBinary.path)))
struct EditorCommandTests {
    func copy(_ site: URL) throws -> URL {
        let target = TestBuild.temporaryFolder("site")
        try FileManager.default.copyItem(at: site, to: target)
        return target
    }

    @Test func strictCheckFailsOnWarnings() throws {
        let site = Repo.site("editorial").path
        #expect(try TestBuild.run(["check", "--site", site]).status == 0)
        let strict = try TestBuild.run(["check", "--site", site, "--strict"])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("warning: heading level jumps"))
        let quiet = try TestBuild.run(["check", "--site", site, "--quiet"])
        #expect(quiet.stderr.isEmpty, "--quiet prints errors only: \(quiet.stderr)")
    }

    @Test func newStartsAPageAndATranslation() throws {
        let site = try copy(Repo.site("i18n"))
        let made = try TestBuild.run(["new", "rights/curfew", "--lang", "en", "--site", site.path])
        #expect(made.status == 0, "\(made.stderr)")
        let page = try String(contentsOf: site.appendingPathComponent("content/en/rights/curfew.md"), encoding: .utf8)
        #expect(page.hasPrefix("---\ntitle: Curfew\n"))
        #expect(try TestBuild.run(["new", "work-permits/index", "--lang", "en", "--site", site.path]).status == 0)
        let section = try String(contentsOf: site.appendingPathComponent("content/en/work-permits/index.md"), encoding: .utf8)
        #expect(section.hasPrefix("---\ntitle: Work Permits\n"), "a section's index is named after its folder")
        let empty = TestBuild.temporaryFolder("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try "title: T\nlanguages:\n  - {key: en, tag: en, name: English}\n"
            .write(to: empty.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        #expect(try TestBuild.run(["new", "index", "--lang", "en", "--site", empty.path]).status == 0)
        let home = try String(contentsOf: empty.appendingPathComponent("content/en/index.md"), encoding: .utf8)
        #expect(home.hasPrefix("---\ntitle: Home\n"), "the top index.md is the home page")
        let translation = try TestBuild.run(["new", "rights/police", "--lang", "zh-hans", "--translate-from", "en", "--site", site.path])
        #expect(translation.status == 0, "\(translation.stderr)")
        let text = try String(contentsOf: site.appendingPathComponent("content/zh-hans/rights/police.md"), encoding: .utf8)
        #expect(text.contains("You can stay silent."), "pre-filled with the source text")
        #expect(text.contains("source_hash: "))
        #expect(text.contains("draft: true"), "a draft until translated: its links still name English headings")
        let status = try TestBuild.run(["status", "--site", site.path, "--format", "json"])
        let report = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let pages = try #require(report?["pages"] as? [[String: Any]])
        let row = try #require(pages.first { $0["language"] as? String == "zh-hans" && $0["path"] as? String == "rights/police" })
        #expect(row["state"] as? String == "draft", "a draft is not published yet, and status says why")
        #expect(try TestBuild.run(["new", "rights/curfew", "--lang", "en", "--site", site.path]).status == 1, "never overwrites")
        #expect(try TestBuild.run(["new", "../escape", "--lang", "en", "--site", site.path]).status == 2)
        #expect(try TestBuild.run(["build", "--site", site.path, "--output", TestBuild.temporaryFolder().path]).status == 0)
    }

    @Test func statusMarkChangesOneLine() throws {
        let site = try copy(Repo.site("i18n"))
        let file = site.appendingPathComponent("content/th/rights/police.md")
        let before = try String(contentsOf: file, encoding: .utf8)
        let text = try TestBuild.run(["status", "--site", site.path])
        #expect(text.stdout.contains("untracked content/th/rights/police.md"))
        #expect(text.stdout.contains("missing   content/en/rights/police.md"))
        let mark = try TestBuild.run(["status", "--site", site.path, "--mark", file.path])
        #expect(mark.status == 0, "\(mark.stderr)")
        let after = try String(contentsOf: file, encoding: .utf8)
        let added = after.split(separator: "\n").filter { !before.split(separator: "\n").contains($0) }
        #expect(added.count == 1)
        #expect(added.first?.hasPrefix("source_hash: ") == true)
        #expect(after.replacingOccurrences(of: added[0] + "\n", with: "") == before)
        #expect(try TestBuild.run(["status", "--site", site.path]).stdout.contains("current   content/th/rights/police.md"))
        #expect(try TestBuild.run(["status", "--site", site.path, "--mark", "content/en/rights/police.md"]).status == 1,
                "the source page is not a translation")
    }

    /// A draft of the source language is `draft` in status too, but no translation: marking
    /// the source language's folder, or the draft itself, writes nothing into it.
    @Test func markLeavesASourceDraftAlone() throws {
        let site = try copy(Repo.site("i18n"))
        let draft = site.appendingPathComponent("content/en/rights/later.md")
        let text = "---\ntitle: Later\ndraft: true\n---\nNot yet.\n"
        try text.write(to: draft, atomically: true, encoding: .utf8)
        for target in ["content/en", "content/en/rights/later.md"] {
            let marked = try TestBuild.run(["status", "--site", site.path, "--mark", site.appendingPathComponent(target).path])
            #expect(marked.status == 1, "\(target): \(marked.stderr)")
            #expect(try String(contentsOf: draft, encoding: .utf8) == text, "\(target) wrote into the source draft")
        }
    }

    /// A renamed source page (issue #18, point 1): its translation is an orphan with a warning
    /// that names the new name and the command to move it; status lists it, and a page of one
    /// language only as `no source`; `--mark` takes several files and folders.
    @Test func renamedSourcePageLeavesAnOrphanThatIsNamed() throws {
        let site = try copy(Repo.site("i18n"))
        let marked = try TestBuild.run(["status", "--site", site.path, "--mark", "content/th", "content/zh-hans/help/hotlines.md"])
        #expect(marked.status == 0, "\(marked.stderr)")
        #expect(marked.stderr.contains("content/th/rights/police.md: source_hash set to"), "\(marked.stderr)")
        #expect(marked.stderr.contains("content/zh-hans/help/hotlines.md: source_hash set to"), "\(marked.stderr)")
        #expect(try TestBuild.run(["status", "--site", site.path, "--mark", "content/en"]).status == 1, "no translation there")

        let fm = FileManager.default
        try fm.moveItem(at: site.appendingPathComponent("content/en/rights/police.md"),
                        to: site.appendingPathComponent("content/en/rights/police-stops.md"))
        try "---\ntitle: เฉพาะภาษาไทย\n---\nหน้านี้มีแค่ภาษาไทย\n".write(to: site.appendingPathComponent("content/th/thai-only.md"),
                                                                     atomically: true, encoding: .utf8)
        let build = try TestBuild.run(["build", "--site", site.path, "--output", TestBuild.temporaryFolder().path])
        #expect(build.status == 0)
        let warnings = build.stderr.split(separator: "\n").filter { $0.contains("warning:") }
        #expect(warnings == [
            "content/th/rights/police.md: warning: this translation's original, content/en/rights/police.md, does not exist, "
            + "so it is published on its own, with no original to switch to; its original is probably content/en/rights/police-stops.md "
            + "(the version it records in source_hash): move it there with 'git mv content/th/rights/police.md content/th/rights/police-stops.md'",
        ], "\(build.stderr)")

        let status = try TestBuild.run(["status", "--site", site.path])
        #expect(status.stdout.contains("orphan    content/th/rights/police.md"), "\(status.stdout)")
        #expect(status.stdout.contains("no source content/th/thai-only.md"), "\(status.stdout)")
        #expect(status.stdout.contains("missing   content/en/rights/police-stops.md"), "\(status.stdout)")

        try fm.moveItem(at: site.appendingPathComponent("content/th/rights/police.md"),
                        to: site.appendingPathComponent("content/th/rights/police-stops.md"))
        let moved = try TestBuild.run(["build", "--site", site.path, "--output", TestBuild.temporaryFolder().path])
        #expect(!moved.stderr.contains("warning:"), "\(moved.stderr)")
        #expect(try TestBuild.run(["status", "--site", site.path]).stdout.contains("current   content/th/rights/police-stops.md"))
    }
}
