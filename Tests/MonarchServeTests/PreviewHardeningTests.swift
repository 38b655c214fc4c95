import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import MonarchServe

/// The preview against what the network and the file system can throw at it: a page on
/// another site reaching it through a name of its own, a burst of connections under a small
/// file limit, links that come and go.
@Suite("Preview hardening", .serialized)
struct PreviewHardeningTests {
    // MARK: DNS rebinding

    @Test func requestsForAnotherHostAreRefused() async throws {
        try await withPreview { fixture in
            let port = fixture.port
            #expect(fixture.url.host == "127.0.0.1", "the preview listens on loopback unless told otherwise")
            for host in ["evil.example", "evil.example:\(port)", "127.0.0.1.evil.example:\(port)",
                         "localhost.evil.example", "localhost:\(port)@evil.example", "evil.example, 127.0.0.1",
                         "127.0.0.1:\(port):80", "[::1", "", "0x7f.0.0.1:\(port)"] {
                for target in ["/", "/en/", "/__monarch/errors", "/__monarch/events", "/__monarch/live.js", "/nowhere"] {
                    let reply = try await Raw.request(port: port, target: target, head: ["Host: \(host)"])
                    #expect(reply.status == 403, "Host: \(host) \(target) -> \(reply.status)")
                    #expect(reply.text.contains("DNS rebinding"), "Host: \(host) \(target)")
                    #expect(!reply.text.contains("Fixture"), "no page content: Host: \(host) \(target)")
                }
            }
            let head = try await Raw.request(port: port, target: "/en/", method: "HEAD", head: ["Host: evil.example"])
            #expect(head.status == 403)

            for host in ["127.0.0.1:\(port)", "127.0.0.1", "localhost:\(port)", "LocalHost", "localhost.:\(port)",
                         "preview.localhost:\(port)", "[::1]:\(port)", "[::1]"] {
                let reply = try await Raw.request(port: port, target: "/en/", head: ["Host: \(host)"])
                #expect(reply.status == 200, "Host: \(host) -> \(reply.status)")
                #expect(reply.text.contains("/__monarch/live.js"))
                let errors = try await Raw.request(port: port, target: "/__monarch/errors", head: ["Host: \(host)"])
                #expect(errors.status == 200, "Host: \(host)")
            }
            // The events stream answers a loopback Host with its headers (the body never ends).
            let stream = try await Raw.head(port: port, target: "/__monarch/events", head: ["Host: localhost:\(port)"])
            #expect(stream.hasPrefix("HTTP/1.1 200"), "\(stream)")

            // Browsers always send Host; a request without one (HTTP/1.0) is no page's doing.
            let old = try await Raw.request(port: port, target: "/en/", version: "HTTP/1.0", head: [])
            #expect(old.status == 200)
        }
    }

    /// Issue #14, point 7: a large file beside the pages is streamed from its source, never
    /// held in the preview's memory, and arrives whole.
    @Test func aLargeFileIsStreamedFromItsSource() async throws {
        let size = SiteSnapshot.largeFileSize + (1 << 20) + 17
        let bytes = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 12) })
        var site: URL?
        try await withPreview(prepare: { folder in
            site = folder
            let files = folder.appendingPathComponent("static/files")
            try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
            try bytes.write(to: files.appendingPathComponent("talk.mp4"))
        }) { fixture in
            let reply = try await fixture.get("/files/talk.mp4")
            #expect(reply.status == 200)
            #expect(reply.body.count == size)
            #expect(reply.body == bytes)
            let outcome = PreviewBuilder(siteFolder: try #require(site), builtInTheme: Repo.root).build()
            let snapshot = try #require(outcome.snapshot)
            #expect(snapshot.files["files/talk.mp4"] == nil, "held in memory")
            #expect(snapshot.large["files/talk.mp4"] != nil)
        }
    }

    @Test func everyAnswerCarriesTheSecurityHeaders() async throws {
        try await withPreview(prepare: { site in
            let folder = site.appendingPathComponent("static/files")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8)
                .write(to: folder.appendingPathComponent("icon.svg"))
            try Data("%PDF-1.4\n".utf8).write(to: folder.appendingPathComponent("leaflet.pdf"))
        }) { fixture in
            let policy = "default-src 'self'; img-src 'self' data:; font-src 'none'; object-src 'none'; "
                + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
            let port = fixture.port
            var replies: [(String, HTTPReply)] = []
            for target in ["/en/", "/files/icon.svg", "/assets/monarch.css", "/__monarch/errors", "/__monarch/live.js",
                           "/en/nowhere/", "/files/leaflet.pdf"] {
                replies.append((target, try await fixture.get(target)))
            }
            replies.append(("403", try await Raw.request(port: port, target: "/en/", head: ["Host: evil.example"])))
            for (target, reply) in replies {
                #expect(reply.header("X-Content-Type-Options") == "nosniff", "\(target)")
                #expect(reply.header("Cache-Control") == "no-store", "\(target)")
                #expect(reply.header("Referrer-Policy") == "no-referrer", "\(target)")
                if target.hasSuffix(".pdf") {
                    // Chromium shows a PDF in an embedded viewer, which object-src 'none' blocks.
                    #expect(reply.header("Content-Security-Policy") == nil)
                } else {
                    #expect(reply.header("Content-Security-Policy") == policy, "\(target)")
                }
            }
            // The header says what the theme's pages say in their <meta>, framing aside.
            let page = try await fixture.get("/en/")
            let meta = try #require(page.text.range(of: #"Content-Security-Policy" content=""#))
            let content = page.text[meta.upperBound...].prefix { $0 != "\"" }
            #expect(policy == content + "; frame-ancestors 'none'")
        }
    }

    // MARK: A burst of connections

    /// macOS starts programs with a limit of 256 open files. 300 connections at once used to
    /// end FlyingFox's accept loop (accept() failed with EMFILE) and close the listening
    /// socket for good. The real binary, under that limit, must answer again after the burst.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: Repo.monarch.path)))
    func theServerKeepsAcceptingAfterABurstOfConnections() async throws {
        try Raw.allowOpenFiles(1024)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("monarch-burst-\(UUID().uuidString)")
        let site = folder.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: Repo.site("i18n"), to: site)

        let child = try ServeProcess(site: site, openFiles: 256)
        defer { child.stop() }
        let url = try await child.address()
        #expect(url.hasPrefix("http://127.0.0.1:"), "the preview listens on loopback unless told otherwise")
        let port = try #require(UInt16(url.split(separator: ":").last?.filter(\.isNumber) ?? ""))
        #expect(try await Raw.request(port: port, target: "/en/").status == 200)

        // The kernel queues what the server has not accepted yet; a refusal is the moment the
        // server runs out and listens again.
        let connections = try await RawHTTP.offThePool { () -> [Int32] in
            var open: [Int32] = []
            let deadline = Date().addingTimeInterval(60)
            while open.count < 300, Date() < deadline {
                if let fd = try? RawHTTP.connect(port: port) { open.append(fd) } else { usleep(20_000) }
            }
            return open
        }
        #expect(connections.count == 300)
        // Held until the server has taken in as many as it can (or said it ran out), so that
        // the burst really reaches the limit.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !child.errors.contains("stopped accepting"), child.openFiles < 250 {
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        for fd in connections { close(fd) }

        let reply = try await poll(timeout: 60, "an answer after the burst") { () -> HTTPReply? in
            guard let reply = try? await Raw.request(port: port, target: "/en/", timeout: 10) else {
                try await Task.sleep(nanoseconds: 200_000_000)
                return nil
            }
            return reply
        }
        #expect(reply.status == 200)
        #expect(reply.text.contains("/__monarch/live.js"))
        #expect(child.isRunning)
        // Not silently: the terminal says what happened.
        let notice = "monarch: warning: the preview stopped accepting connections (Too many open files); listening again on port \(port)"
        let said = try? await poll(timeout: 30, "the notice") { child.errors.contains(notice) ? true : nil }
        #expect(said == true, "\(child.errors)")
    }

    /// Under a soft limit only (macOS's 256 comes with a far higher hard limit), the server
    /// raises its own to the hard one before it listens.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: Repo.monarch.path)))
    func theServerRaisesItsSoftLimitOfOpenFiles() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("monarch-limit-\(UUID().uuidString)")
        let site = folder.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: Repo.site("i18n"), to: site)
        let child = try ServeProcess(site: site, openFiles: 256, softOnly: true)
        defer { child.stop() }
        _ = try await child.address()
        let limits = try String(contentsOfFile: "/proc/\(child.pid)/limits", encoding: .utf8)
        let line = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let numbers = line.split(separator: " ").compactMap { Int($0) }
        #expect(numbers.count == 2 && numbers[0] == numbers[1] && numbers[0] > 256, "\(line)")
    }

    // MARK: Symbolic links

    @Test func theWatcherSeesLinksComeGoAndChangeEvenDanglingOnes() throws {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("monarch-links-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: site) }
        let fm = FileManager.default
        try fm.createDirectory(at: site.appendingPathComponent("content/en"), withIntermediateDirectories: true)
        try Data("a".utf8).write(to: site.appendingPathComponent("content/en/a.md"))
        let link = site.appendingPathComponent("content/en/map.png")
        let watcher = SourceWatcher(siteFolder: site)
        let empty = watcher.scan()

        try fm.createSymbolicLink(atPath: link.path, withDestinationPath: "nowhere.png")
        let dangling = watcher.scan()
        #expect(SourceWatcher.differences(empty, dangling) == ["content/en/map.png"], "a dangling link added")

        try fm.removeItem(at: link)
        #expect(SourceWatcher.differences(dangling, watcher.scan()) == ["content/en/map.png"], "a dangling link removed")

        try fm.createSymbolicLink(atPath: link.path, withDestinationPath: "nowhere.png")
        let again = watcher.scan()
        try fm.removeItem(at: link)
        try fm.createSymbolicLink(atPath: link.path, withDestinationPath: "elsewhere.png")
        #expect(SourceWatcher.differences(again, watcher.scan()) == ["content/en/map.png"], "a dangling link retargeted")

        try Data("png".utf8).write(to: site.appendingPathComponent("content/en/elsewhere.png"))
        let resolved = watcher.scan()
        #expect(SourceWatcher.differences(again, resolved) == ["content/en/elsewhere.png", "content/en/map.png"],
                "the link's target appeared")
        try Data("png2".utf8).write(to: site.appendingPathComponent("content/en/elsewhere.png"))
        #expect(SourceWatcher.differences(resolved, watcher.scan()) == ["content/en/elsewhere.png", "content/en/map.png"],
                "an edit through a link")
    }

    @Test func removingADanglingLinkRebuildsAndClearsItsError() async throws {
        try await withPreview(prepare: { site in
            try FileManager.default.createSymbolicLink(atPath: site.appendingPathComponent("content/en/map.png").path,
                                                       withDestinationPath: "nowhere.png")
        }) { fixture in
            let first = try #require(fixture.server.reports.last)
            #expect(!first.succeeded)
            #expect(first.errors.contains { $0.location.path == "content/en/map.png" }, "\(first.diagnostics)")
            let tab = try await EventListener(port: fixture.port)
            _ = try await tab.next("hello")
            let shown = try await tab.next("errors")
            #expect(shown.data.contains("content/en/map.png"), "a new tab is shown the error")

            try FileManager.default.removeItem(at: fixture.site.appendingPathComponent("content/en/map.png"))
            let report = try await fixture.build(after: first.number)
            #expect(report.succeeded, "\(report.diagnostics)")
            #expect(report.sources == ["content/en/map.png"])
            let cleared = try await tab.next("errors")
            #expect((cleared.json["diagnostics"] as? [Any])?.isEmpty == true)
            #expect(try await fixture.get("/en/").status == 200)

            // And a dangling link added shows its error.
            try FileManager.default.createSymbolicLink(atPath: fixture.site.appendingPathComponent("content/en/gone.md").path,
                                                       withDestinationPath: "nowhere.md")
            let broken = try await fixture.build(after: report.number)
            #expect(!broken.succeeded)
            #expect(broken.errors.contains { $0.location.path == "content/en/gone.md" }, "\(broken.diagnostics)")
        }
    }
}

extension Repo {
    static var monarch: URL { root.appendingPathComponent(".build/debug/monarch") }
}

/// Requests with a head of the test's choosing, over a loopback socket.
enum Raw {
    static func request(port: UInt16, target: String, method: String = "GET", version: String = "HTTP/1.1",
                        head: [String]? = nil, timeout: Double = 60) async throws -> HTTPReply {
        let lines = head ?? ["Host: 127.0.0.1:\(port)"]
        return try await RawHTTP.offThePool {
            let fd = try RawHTTP.connect(port: port)
            defer { close(fd) }
            try RawHTTP.send(fd, ([ "\(method) \(target) \(version)"] + lines + ["Connection: close", "", ""]).joined(separator: "\r\n"))
            var data: [UInt8] = []
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                guard let chunk = RawHTTP.readSome(fd) else { break }
                data += chunk
                if let reply = RawHTTP.parse(data, method: method) { return reply }
            }
            if let reply = RawHTTP.parse(data, method: method) { return reply }
            throw TestFailure("no complete reply to \(method) \(target): \(String(decoding: data, as: UTF8.self))")
        }
    }

    /// The status line and headers of an answer whose body does not end (the event stream).
    static func head(port: UInt16, target: String, head: [String]) async throws -> String {
        try await RawHTTP.offThePool {
            let fd = try RawHTTP.connect(port: port)
            defer { close(fd) }
            try RawHTTP.send(fd, (["GET \(target) HTTP/1.1"] + head + ["", ""]).joined(separator: "\r\n"))
            var data: [UInt8] = []
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                guard let chunk = RawHTTP.readSome(fd) else { break }
                data += chunk
                let text = String(decoding: data, as: UTF8.self)
                if text.contains("\r\n\r\n") { return text }
            }
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Raises this process's soft limit of open files to at least `count`, as far as the hard
    /// limit lets it: the burst test holds 300 connections itself.
    static func allowOpenFiles(_ count: rlim_t) throws {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { throw TestFailure("getrlimit: errno \(errno)") }
        guard limit.rlim_cur < count else { return }
        limit.rlim_cur = min(count, limit.rlim_max)
        guard setrlimit(resource, &limit) == 0, limit.rlim_cur >= 400 else {
            throw TestFailure("cannot open enough files for the test (hard limit \(limit.rlim_max))")
        }
    }
}

/// `monarch serve --port 0` as a child process, under a limit of open files set by the shell
/// that starts it (`ulimit -n` sets both the soft and the hard limit, so the server cannot
/// raise it; `ulimit -S -n` only the soft one).
final class ServeProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var output = ""
    private var errorText = ""

    /// `softOnly`: `ulimit -S`, which leaves the hard limit where it was.
    init(site: URL, openFiles: Int, softOnly: Bool = false) throws {
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let limit = softOnly ? "ulimit -S -n \(openFiles)" : "ulimit -n \(openFiles)"
        process.arguments = ["-c", "\(limit) && exec \"$0\" serve --site \"$1\" --port 0",
                             Repo.monarch.path, site.path]
        var environment = ProcessInfo.processInfo.environment
        environment["MONARCH_HOME"] = Repo.root.path
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            self?.append(data, error: false)
        }
        err.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            self?.append(data, error: true)
        }
        try process.run()
    }

    private func append(_ data: Data, error: Bool) {
        let text = String(decoding: data, as: UTF8.self)
        lock.withLock { if error { errorText += text } else { output += text } }
    }

    var errors: String { lock.withLock { errorText } }
    var isRunning: Bool { process.isRunning }
    var pid: Int32 { process.processIdentifier }

    /// Descriptors the server has open now (Linux's /proc).
    var openFiles: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/fd").count) ?? 0
    }

    /// The address the server prints once it listens: `http://127.0.0.1:PORT/`.
    func address() async throws -> String {
        try await poll(timeout: 120, "monarch serve to listen") { () -> String? in
            let text = lock.withLock { output }
            if let range = text.range(of: #"http://[^ \n]+/"#, options: .regularExpression) { return String(text[range]) }
            if !process.isRunning { throw TestFailure("monarch serve exited: \(errors)") }
            try await Task.sleep(nanoseconds: 20_000_000)
            return nil
        }
    }

    /// SIGTERM (the server's clean stop), then SIGKILL if it is still there 20 s later.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
