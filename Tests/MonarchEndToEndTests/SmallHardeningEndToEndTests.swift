import Foundation
import TestSupport
import Testing
@testable import MonarchSite

/// `SmallHardeningTests` through the monarch binary: the zip's date, what reaches the
/// terminal, the names `monarch new` refuses, the theme found through PATH.
@Suite("Smaller hardening, end to end", .enabled(if: FileManager.default.fileExists(atPath: Repo.monarchBinary.path)))
struct SmallHardeningEndToEndTests {
    private let fm = FileManager.default

    /// The zip and the PDFs in it take their date from the same helper: the same date, even
    /// with SOURCE_DATE_EPOCH written with spaces and a newline around it.
    @Test func theZipAndItsPDFsCarryOneDate() throws {
        let site = try TestBuild.homeSite(pamphlet: true)
        let output = site.appendingPathComponent("public")
        let run = try Command.run(Repo.monarchBinary.path, ["build", "--portable", "--quiet", "--site", site.path, "--output", output.path],
                                  environment: ["MONARCH_HOME": Repo.root.path, "SOURCE_DATE_EPOCH": " 1700000000\n"])
        #expect(run.status == 0, "\(run.err)")
        let zip = PortableCopy.locations(output: output).zip
        let listing = try Command.tool("unzip", ["-Z", "-T", zip.path])
        let pdfLine = try #require(listing.split(separator: "\n").first { $0.hasSuffix(".pdf") })
        #expect(pdfLine.contains("20231114."), "zip entry: \(pdfLine)")
        let pdf = try #require(TestBuild.snapshot(output).keys.first { $0.hasSuffix(".pdf") })
        let info = try Command.tool("pdfinfo", ["-isodates", output.appendingPathComponent(pdf).path])
        #expect(info.contains("2023-11-14T22:13:20"), "\(info)")
    }

    /// Escape sequences, bells and line breaks in a file name reach the terminal as visible
    /// escapes, and each diagnostic stays one line.
    @Test func diagnosticsNeverCarryTerminalControls() throws {
        let site = try TestBuild.homeSite(files: ["content/en/bad\u{1B}[31mred\u{07}\nnext.md": "---\ntitel: x\n---\n# A\n"])
        let run = try TestBuild.run(["build", "--site", site.path])
        #expect(run.status == 1)
        #expect(!run.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        let line = try #require(run.stderr.split(separator: "\n").first { $0.contains("titel") })
        #expect(line.hasPrefix("content/en/bad\\x1B[31mred\\x07\\x0Anext.md:2:1: error:"), "\(line)")
    }

    /// `monarch new x/` and `monarch new .notes` wrote hidden files that every build ignores.
    @Test(arguments: ["x/", ".notes", "police/.draft", "a//b", "x/.md"])
    func newRefusesNamesEveryBuildWouldSkip(_ path: String) throws {
        let site = try TestBuild.homeSite()
        let before = try fm.subpathsOfDirectory(atPath: site.path).sorted()
        let run = try TestBuild.run(["new", path, "--lang", "en", "--site", site.path])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(try fm.subpathsOfDirectory(atPath: site.path).sorted() == before)
    }

    /// Started through PATH, monarch finds its built-in theme from its real path, not from
    /// argv[0] read relative to the current folder.
    @Test func startedThroughPathItFindsItsTheme() throws {
        let site = try TestBuild.homeSite()
        let elsewhere = TestBuild.temporaryFolder("cwd")
        try fm.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let run = try Command.run("/bin/sh", ["-c", "cd \"$1\" && exec monarch build --quiet --site \"$2\"", "sh", elsewhere.path, site.path],
                                  environment: ["MONARCH_HOME": nil, "PATH": Repo.monarchBinary.deletingLastPathComponent().path + ":/usr/bin:/bin"])
        #expect(run.status == 0, "\(run.err)")
        #expect(fm.fileExists(atPath: site.appendingPathComponent("public/en/index.html").path))
    }
}
