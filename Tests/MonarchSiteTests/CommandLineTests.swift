import Foundation
import Testing

/// The monarch binary: exit status 0 / 1 / 2, diagnostics on standard error, summary line.
@Suite("Command line", .enabled(if: FileManager.default.fileExists(atPath: Repo.monarchBinary.path)))
struct CommandLineTests {
    @Test func successfulBuildExitsZeroWithSummary() throws {
        let output = TestBuild.temporaryFolder()
        let run = try TestBuild.run(["build", "--site", Repo.site("i18n").path, "--output", output.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("monarch: built 12 pages in 3 languages, 0 pamphlets, 0 warnings in"))
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
    }

    @Test func checkWritesNothingAndExitsZero() throws {
        let run = try TestBuild.run(["check", "--site", Repo.site("i18n").path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: Repo.site("i18n").appendingPathComponent("public").path))
    }
}
