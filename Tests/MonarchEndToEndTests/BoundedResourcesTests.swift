import Foundation
import TestSupport
import MonarchContent
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue #6, point 5, the fast variant: nesting 10,000 deep, a 1 MB line, a 1 MB page and
/// 1,000 tiny pages build with the debug binary, in a child process whose peak memory is
/// measured, without a crash and under 1 GiB; a page over `PageLimits.maxBytes` is an error
/// at its path:1:1 before it is read. `scripts/bounded-resources.py` (`make bounded-resources`)
/// runs the full sizes with the release binary.
@Suite("Bounded resources")
struct BoundedResourcesTests {
    static let limit = 1 << 30

    static func site(_ pages: [String: String]) throws -> URL {
        let site = TestBuild.temporaryFolder("site")
        let content = site.appendingPathComponent("content/en")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        try "title: Bounded\nlanguages:\n  - {key: en, tag: en, name: English}\n"
            .write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        var pages = pages
        if pages["index.md"] == nil { pages["index.md"] = "---\ntitle: Home\n---\nHome.\n" }
        for (path, text) in pages {
            let url = content.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: false, encoding: .utf8)
        }
        return site
    }

    /// Runs the debug monarch on `site`: exit status (negative: killed by that signal), peak
    /// RSS in bytes (this child's own, from wait4), standard error.
    static func build(_ site: URL) throws -> (status: Int32, peakRSS: Int, stderr: String) {
        let errURL = site.deletingLastPathComponent().appendingPathComponent("stderr.txt")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 2, errURL.path, O_WRONLY | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        // /usr/bin/time forks the build from its own small process and reports that child's
        // peak; wait4 on a child of this test process would count this process's memory too.
        let time = "/usr/bin/time"
        let timed = FileManager.default.isExecutableFile(atPath: time)
        let arguments = (timed ? [time, "-f", "monarch-peak-rss-kb=%M"] : [])
            + [Repo.monarchBinary.path, "build", "--site", site.path, "--quiet"]
        var environment = ProcessInfo.processInfo.environment
        environment["MONARCH_HOME"] = Repo.root.path
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
        try #require(spawned == 0, "cannot start \(arguments[0]): \(spawned)")
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
        let signal = status & 0x7F
        var code: Int32 = signal == 0 ? (status >> 8) & 0xFF : -signal
        var stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        var peak = usage.ru_maxrss * 1024
        if timed {
            if let killed = stderr.firstMatch(of: /Command terminated by signal (\d+)/) { code = -Int32(killed.output.1)! }
            if let kb = stderr.firstMatch(of: /monarch-peak-rss-kb=(\d+)/) { peak = Int(kb.output.1)! * 1024 }
            stderr = stderr.replacing(/Command (exited|terminated)[^\n]*\n/, with: "").replacing(/monarch-peak-rss-kb=\d+\n?/, with: "")
        }
        return (code, peak, stderr)
    }

    @Test func deepNestingALongLineAndManyPagesBuildWithinBounds() throws {
        var pages: [String: String] = [:]
        pages["lists.md"] = "---\ntitle: Lists\n---\n" + String(repeating: "- ", count: 10_000) + "bullet\n\n"
            + String(repeating: "1. ", count: 10_000) + "ordered\n\n"
            + (0..<2_000).map { String(repeating: "  ", count: $0) + "- level\n" }.joined() + "\n"
        pages["quotes.md"] = "---\ntitle: Quotes\n---\n" + String(repeating: "> ", count: 10_000) + "quote\n"
            + (1..<2_000).map { String(repeating: ">", count: $0) + " line\n" }.joined() + "\n"
            + String(repeating: "> - ", count: 5_000) + "mixed\n"
        pages["inline.md"] = "---\ntitle: Inline\n---\n" + String(repeating: "*a **b ", count: 5_000)
            + String(repeating: "[", count: 10_000) + "x" + String(repeating: "](https://example.org/)", count: 10_000) + "\n"
        let unit = "word **strong _em_** `code` [link](https://example.org/) 警察 สิทธิ 변호사 *a "
        pages["line.md"] = "---\ntitle: Line\n---\n" + String(repeating: unit, count: 1_048_576 / unit.utf8.count + 1) + "\n"
        let block = "## Rights\n\nIf the **police stop you**, stay _silent_ and ask for a [lawyer](https://example.org/).\n"
            + "你有权保持沉默。**重要。**之后 สิทธิของคุณ `code` [home](index.md).\n\n- one\n- two\n  1. three\n\n> quote\n\n"
        pages["big.md"] = "---\ntitle: Big\n---\n" + String(repeating: block, count: 1_048_576 / block.utf8.count)
        for s in 0..<2 {
            pages["s\(s)/index.md"] = "---\ntitle: Section \(s)\n---\nSection.\n"
            for p in 0..<500 { pages["s\(s)/p\(p).md"] = "---\ntitle: Page \(s)-\(p)\n---\nA tiny page.\n" }
        }
        let result = try Self.build(try Self.site(pages))
        #expect(result.status == 0, "monarch exited with \(result.status): \(result.stderr.suffix(2000))")
        #expect(result.peakRSS < Self.limit, "peak RSS \(result.peakRSS / 1_048_576) MiB")
    }

    /// Issue #14, point 7: a 1.5 GB video beside a page (a sparse file, so the test costs no
    /// disk) is hashed for the build cache and copied a chunk at a time, never held whole.
    @Test func aLargeFileBesideAPageIsCopiedWithoutBeingHeldInMemory() throws {
        let site = try Self.site(["talk.md": "---\ntitle: Talk\n---\n[The talk](talk.mp4)\n"])
        let video = site.appendingPathComponent("content/en/talk.mp4")
        let size: Int64 = 1_536 << 20
        FileManager.default.createFile(atPath: video.path, contents: Data("....ftypisom".utf8))
        try #require(truncate(video.path, off_t(size)) == 0)
        defer { try? FileManager.default.removeItem(at: site.deletingLastPathComponent()) }
        let (status, peak, stderr) = try Self.build(site)
        #expect(status == 0, "\(stderr)")
        #expect(peak < Self.limit, "peak memory \(peak >> 20) MiB")
        var info = stat()
        #expect(stat(site.appendingPathComponent("public/en/talk.mp4").path, &info) == 0 && Int64(info.st_size) == size)
    }

    @Test func aPageOverTheLimitIsAnErrorAtItsPath() throws {
        let line = String(repeating: "A sentence of an enormous page. ", count: 32) + "\n\n"
        let huge = "---\ntitle: Huge\n---\n" + String(repeating: line, count: PageLimits.maxBytes / line.utf8.count + 10)
        let result = try Self.build(try Self.site(["huge.md": huge, "fine.md": "---\ntitle: Fine\n---\nFine.\n"]))
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.hasPrefix("content/en/huge.md:1:1: error: the page is 8.0 MiB of Markdown, over the 8 MiB a page may have; split it into several pages") == true,
                "\(errors)")
        #expect(result.peakRSS < 256 << 20, "the page was read: \(result.peakRSS / 1_048_576) MiB")
    }
}
