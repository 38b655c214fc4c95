import Foundation
import FlyingFox
import FlyingSocks
import MonarchCore
import MonarchMarkdown
import MonarchSite

/// `monarch serve`: builds the site into memory, serves it on 127.0.0.1 (another address only
/// when asked), watches the sources, rebuilds on every saved change and tells the open tabs
/// to reload through server-sent events. A failed build keeps the last good output served
/// and shows its diagnostics in the tabs, over the page.
public final class PreviewServer: @unchecked Sendable {
    public struct Options: Sendable {
        public var siteFolder: URL
        public var builtInTheme: URL?
        /// The address to listen on; anything but a loopback address shows the preview to
        /// the network.
        public var host: String
        /// nil: 8080, or any free port when 8080 is taken; 0: any free port.
        public var port: Int?
        /// Seconds between two scans of the sources (on Linux, inotify wakes the watcher at
        /// once and it scans at least every 0.25 s).
        public var pollInterval: Double

        public init(siteFolder: URL, builtInTheme: URL? = Theme.builtInFolder(), host: String = "127.0.0.1",
                    port: Int? = nil, pollInterval: Double = 0.05) {
            self.siteFolder = siteFolder.standardizedFileURL
            self.builtInTheme = builtInTheme
            self.host = host
            self.port = port
            self.pollInterval = pollInterval
        }
    }

    /// What one build did, for the terminal and for tests.
    public struct BuildReport: Sendable {
        /// 1 for the first build, then one more for each rebuild.
        public let number: Int
        public let succeeded: Bool
        /// What changed in the served output (on a failed build: nothing).
        public let changes: OutputChanges
        public let diagnostics: [Diagnostic]
        public let summary: BuildSummary?
        public let seconds: Double
        /// The source files whose change started this build (site-relative; empty for the first).
        public let sources: [String]
        /// What the build reused from the one before (memo hits/misses per step).
        public let reuse: String

        public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    }

    public let options: Options
    private let onBuild: @Sendable (BuildReport) -> Void
    /// A line for the terminal about the server itself (not a build).
    private let onNotice: @Sendable (String) -> Void
    private let builder: PreviewBuilder
    private let hub = EventHub()
    /// Changes when monarch serve restarts, so that open tabs reload onto the new server.
    private let serverID = UUID().uuidString

    private let lock = NSLock()
    private var snapshot: SiteSnapshot?
    private var diagnostics: [Diagnostic] = []
    private var buildNumber = 0
    private var history: [BuildReport] = []
    private var watching = false
    private var stopped = false
    private var http: HTTPServer?
    private var runTask: Task<Void, Never>?
    private var pingTask: Task<Void, Never>?
    private let watchStopped = DispatchSemaphore(value: 0)
    private var watchThreadStarted = false

    /// The address the preview is served at, once started: `http://127.0.0.1:8080/`.
    public private(set) var url: URL?

    public init(options: Options, onBuild: @escaping @Sendable (BuildReport) -> Void = { _ in },
                onNotice: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.onBuild = onBuild
        self.onNotice = onNotice
        builder = PreviewBuilder(siteFolder: options.siteFolder, builtInTheme: options.builtInTheme)
    }

    // MARK: Starting and stopping

    /// Builds the site, starts listening and watching; returns the address.
    public func start() async throws -> URL {
        let watcher = SourceWatcher(siteFolder: options.siteFolder)
        let builder = self.builder
        let (fingerprint, outcome) = await Self.offThePool {
            let fingerprint = watcher.scan()
            return (fingerprint, builder.build())
        }
        publish(outcome, sources: [])

        let (server, task, port) = try await listen()
        let url = Self.url(host: options.host, port: port)
        lock.withLock {
            // Unless it already failed and another listens in its place.
            if http == nil { http = server }
            runTask = task
            self.url = url
            watching = true
            watchThreadStarted = true
        }
        let thread = Thread { [self] in watchLoop(watcher: watcher, initial: fingerprint) }
        thread.name = "monarch-serve-watch"
        thread.start()
        let hub = self.hub
        pingTask = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 15_000_000_000)
                hub.broadcast(EventHub.ping)
            }
        }
        return url
    }

    /// Stops watching and closes every connection.
    public func stop() async {
        let (server, task, started) = lock.withLock { () -> (HTTPServer?, Task<Void, Never>?, Bool) in
            guard !stopped else { return (nil, nil, false) }
            stopped = true
            watching = false
            defer { http = nil; runTask = nil }
            return (http, runTask, watchThreadStarted)
        }
        if started {
            let semaphore = watchStopped
            await Self.offThePool { semaphore.wait() }
        }
        pingTask?.cancel()
        hub.finishAll()
        // FlyingFox waits the whole grace period (its socket pool runs until cancelled): keep it short.
        if let server { await server.stop(timeout: 0.2) }
        task?.cancel()
        await task?.value
    }

    /// Runs blocking work (a build, a wait) on its own thread instead of the cooperative pool.
    private static func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }

    private func listen() async throws -> (HTTPServer, Task<Void, Never>, UInt16) {
        guard let port = options.port else {
            do {
                return try await listen(port: 8080)
            } catch {
                return try await listen(port: 0)
            }
        }
        guard (0...65535).contains(port) else { throw ServeError("port \(port) is not between 0 and 65535") }
        return try await listen(port: UInt16(port))
    }

    private func listen(port: UInt16) async throws -> (HTTPServer, Task<Void, Never>, UInt16) {
        let server = try makeServer(port: port)
        let state = ListenState()
        let task = Task { [self] in
            do { try await server.run() } catch { state.set(error) }
            // A server that never listened is start()'s to report.
            guard let port = state.finish() else { return }
            await keepListening(port: port, after: state.error)
        }
        let deadline = Date().addingTimeInterval(10)
        while !(await server.isListening) {
            if state.isFinished {
                var reason = state.error.map { "\($0)" } ?? "the server stopped"
                if case let SocketError.failed(_, code, message)? = state.error {
                    reason = code == EADDRINUSE ? "the port is in use; choose another with --port (0: any free port)" : message
                }
                throw ServeError("cannot listen on \(options.host) port \(port): \(reason)")
            }
            if Date() > deadline {
                task.cancel()
                throw ServeError("cannot listen on \(options.host) port \(port): timed out")
            }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        guard let bound = Self.port(await server.listeningAddress), state.listened(on: bound) else {
            throw ServeError("cannot listen on \(options.host) port \(port): the server stopped")
        }
        return (server, task, bound)
    }

    private func makeServer(port: UInt16) throws -> HTTPServer {
        let handler = PreviewHandler(server: self)
        let host = options.host == "localhost" ? "127.0.0.1" : options.host
        if host.contains(":") {
            guard let address = try? sockaddr_in6.inet6(ip6: host, port: port) else {
                throw ServeError("'\(options.host)' is not an IPv4 or IPv6 address")
            }
            return HTTPServer(address: address, timeout: 15, logger: .disabled, handler: handler)
        }
        guard let address = try? sockaddr_in.inet(ip4: host, port: port) else {
            throw ServeError("'\(options.host)' is not an IPv4 or IPv6 address")
        }
        return HTTPServer(address: address, timeout: 15, logger: .disabled, handler: handler)
    }

    /// FlyingFox ends its accept loop at the first accept() that fails, and closes the
    /// listening socket: with every file descriptor in use (a burst of connections under
    /// macOS's default limit of 256 open files) the preview would stop answering for good.
    /// So it listens again on the same port once that server's connections are closed, after
    /// a pause that grows to a second while it cannot, and says so on the terminal.
    private func keepListening(port: UInt16, after failure: Error?) async {
        var failure = failure
        var pause = 0.05
        var lastNotice = Date.distantPast
        while !Task.isCancelled, !lock.withLock({ stopped }) {
            if Date().timeIntervalSince(lastNotice) > 10 {
                lastNotice = Date()
                onNotice("warning: the preview stopped accepting connections (\(Self.reason(failure))); listening again on port \(port)")
            }
            try? await Task.sleep(nanoseconds: UInt64(pause * 1_000_000_000))
            pause = min(1, pause * 2)
            guard let server = try? makeServer(port: port) else { return }
            let current = lock.withLock { () -> Bool in
                if stopped || Task.isCancelled { return false }
                http = server
                return true
            }
            guard current else { return }
            let started = Date()
            do { try await server.run(); failure = nil } catch { failure = error }
            if Date().timeIntervalSince(started) > 5 { pause = 0.05 }
        }
    }

    private static func reason(_ error: Error?) -> String {
        if case let SocketError.failed(_, _, message)? = error { return message }
        return error.map { "\($0)" } ?? "the server stopped"
    }

    private static func port(_ address: Socket.Address?) -> UInt16? {
        switch address {
        case .ip4(_, let port)?: return port
        case .ip6(_, let port)?: return port
        default: return nil
        }
    }

    private static func url(host: String, port: UInt16) -> URL {
        let shown = host.contains(":") ? "[\(host)]" : host
        return URL(string: "http://\(shown):\(port)/")!
    }

    // MARK: Building

    /// Every build so far, oldest first (the last 100).
    public var reports: [BuildReport] { lock.withLock { history } }

    /// The output now served; nil before a first good build.
    public var currentSnapshot: SiteSnapshot? { lock.withLock { snapshot } }

    /// Scans the sources every `pollInterval`, and at once when inotify reports a save; a
    /// change starts a rebuild. The scan is taken before the build, so a save during a build
    /// starts another one.
    private func watchLoop(watcher: SourceWatcher, initial: SourceWatcher.Fingerprint) {
        defer { watchStopped.signal() }
        var last = initial
        var pending: Set<String> = []
        let interval = max(0.001, options.pollInterval)
        #if os(Linux)
        let wake = SourceWatcher.Wake()
        var folders: [String: UInt64] = [:]
        _ = watcher.scan(folders: &folders)
        wake?.watch(folders)
        #endif
        while lock.withLock({ watching }) {
            #if os(Linux)
            // With inotify a save wakes the loop at once; the scan every quarter second only
            // catches what inotify cannot see.
            if let wake { _ = wake.wait(max(interval, 0.25)) } else { usleep(UInt32(interval * 1_000_000)) }
            folders = [:]
            let now = watcher.scan(folders: &folders)
            wake?.watch(folders)
            #else
            usleep(UInt32(interval * 1_000_000))
            let now = watcher.scan()
            #endif
            guard now != last else { continue }
            pending.formUnion(SourceWatcher.differences(last, now))
            last = now
            let outcome = builder.build()
            // A failed build of files that changed again meanwhile is most likely a save
            // caught halfway: build again at once instead of flashing its errors.
            if outcome.snapshot == nil, watcher.scan() != last, lock.withLock({ watching }) { continue }
            publish(outcome, sources: pending.sorted())
            pending = []
        }
    }

    /// Makes a build the served state, then tells the tabs and the terminal. The state is
    /// swapped before the events go out, so a tab that reloads gets the new pages.
    @discardableResult
    func publish(_ outcome: BuildOutcome, sources: [String]) -> BuildReport {
        let (report, wasBroken) = lock.withLock { () -> (BuildReport, Bool) in
            buildNumber += 1
            let wasBroken = diagnostics.contains { $0.severity == .error }
            var changes = OutputChanges()
            if let new = outcome.snapshot {
                changes = OutputChanges(from: snapshot, to: new)
                snapshot = new
            }
            diagnostics = outcome.diagnostics
            let report = BuildReport(number: buildNumber, succeeded: outcome.snapshot != nil, changes: changes,
                                     diagnostics: outcome.diagnostics, summary: outcome.summary,
                                     seconds: outcome.seconds, sources: sources, reuse: outcome.reuse)
            history.append(report)
            if history.count > 100 { history.removeFirst(history.count - 100) }
            return (report, wasBroken)
        }
        if !report.succeeded || wasBroken {
            hub.broadcast(EventHub.event("errors", json: errorsJSON(number: report.number, report.diagnostics)))
        }
        if report.succeeded, !report.changes.isEmpty {
            hub.broadcast(EventHub.event("reload", json: ["build": report.number, "changed": report.changes.all]))
        }
        onBuild(report)
        return report
    }

    func errorsJSON(number: Int, _ diagnostics: [Diagnostic]) -> [String: Any] {
        ["build": number,
         "ok": !diagnostics.contains { $0.severity == .error },
         "diagnostics": diagnostics.map { diagnostic -> [String: Any] in
             var item: [String: Any] = ["severity": diagnostic.severity.rawValue, "path": diagnostic.location.path,
                                        "message": diagnostic.message, "text": diagnostic.description]
             if let line = diagnostic.location.line { item["line"] = line }
             if let column = diagnostic.location.column { item["column"] = column }
             return item
         }]
    }

    // MARK: Serving

    /// Number of open event streams (tabs), for tests.
    public var liveConnections: Int { hub.count }

    func respond(to request: HTTPRequest) -> HTTPResponse {
        guard RequestHost.isAllowed(request.headers[.host]) else {
            return plain(.forbidden, RequestHost.refusal(servedAt: lock.withLock { url }), head: request.method == .HEAD)
        }
        guard request.method == .GET || request.method == .HEAD else {
            return plain(.methodNotAllowed, "405 Method Not Allowed\n", extra: [HTTPHeader("Allow"): "GET, HEAD"])
        }
        let head = request.method == .HEAD
        let raw = request.target.path(percentEncoded: true)
        let (snapshot, diagnostics, number) = lock.withLock { (self.snapshot, self.diagnostics, buildNumber) }
        switch raw {
        case LiveReload.eventsPath:
            // A tab reconnects a second after the server goes away (instead of the browser's
            // default of about three), and its `hello` then names the new server: it reloads.
            var initial = Data("retry: 1000\n\n".utf8)
            initial.append(EventHub.event("hello", json: ["server": serverID, "build": number]))
            if diagnostics.contains(where: { $0.severity == .error }) {
                initial.append(EventHub.event("errors", json: errorsJSON(number: number, diagnostics)))
            }
            var headers = Self.headers("text/event-stream; charset=utf-8")
            headers[HTTPHeader("X-Accel-Buffering")] = "no"
            if head { return HTTPResponse(statusCode: .ok, headers: headers) }
            let body = HTTPBodySequence(from: EventStreamBody(events: hub.subscribe(initial: initial)))
            return HTTPResponse(statusCode: .ok, headers: headers, body: body)
        case LiveReload.errorsPath:
            let json = (try? JSONSerialization.data(withJSONObject: errorsJSON(number: number, diagnostics),
                                                    options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return file(json, type: "application/json; charset=utf-8", head: head)
        case LiveReload.scriptPath:
            return file(Data(LiveReload.script.utf8), type: ContentType.of("live.js"), head: head)
        default:
            break
        }
        guard let path = RequestPath(rawPath: raw) else { return notFound(snapshot, head: head) }
        guard let snapshot else { return noBuildYet(diagnostics, head: head) }
        if path.namesFolder {
            guard let data = snapshot[path.indexFile] else { return notFound(snapshot, head: head) }
            return page(data, path: path.indexFile, head: head)
        }
        if let data = snapshot[path.path] { return page(data, path: path.path, head: head) }
        if let file = snapshot.large[path.path] { return streamed(file, path: path.path, head: head) }
        if snapshot[path.indexFile] != nil {
            let query = request.target.query(percentEncoded: true)
            var headers = Self.headers("text/plain; charset=utf-8")
            headers[.location] = path.encoded + "/" + (query.isEmpty ? "" : "?" + query)
            return HTTPResponse(statusCode: .movedPermanently, headers: headers, body: head ? Data() : Data("Moved\n".utf8))
        }
        return notFound(snapshot, head: head)
    }

    /// The theme's page policy (templates/partials/head.mustache), sent as a header too: a
    /// `<meta>` only covers the pages that carry it, not an SVG or an XML file opened on its
    /// own, and cannot forbid framing. PDFs go without: Chromium's viewer is an embedded
    /// object, which `object-src 'none'` would block.
    static let contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; font-src 'none'; object-src 'none'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    private static func headers(_ type: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        headers[HTTPHeader("X-Content-Type-Options")] = "nosniff"
        headers[HTTPHeader("Referrer-Policy")] = "no-referrer"
        if type != "application/pdf" {
            headers[HTTPHeader("Content-Security-Policy")] = contentSecurityPolicy
        }
        return headers
    }

    private func file(_ data: Data, type: String, status: HTTPStatusCode = .ok, head: Bool) -> HTTPResponse {
        var headers = Self.headers(type)
        if head {
            headers[.contentLength] = String(data.count)
            return HTTPResponse(statusCode: status, headers: headers)
        }
        return HTTPResponse(statusCode: status, headers: headers, body: data)
    }

    /// An output file; HTML gets the live-reload script.
    private func page(_ data: Data, path: String, status: HTTPStatusCode = .ok, reloadOn reloadKey: String? = nil,
                      head: Bool) -> HTTPResponse {
        let type = ContentType.of(path)
        guard ContentType.isHTML(path) else { return file(data, type: type, status: status, head: head) }
        return file(LiveReload.inject(into: data, page: reloadKey ?? path), type: type, status: status, head: head)
    }

    /// A large copied file, read from its source as it is sent.
    private func streamed(_ file: SiteSnapshot.LargeFile, path: String, head: Bool) -> HTTPResponse {
        var headers = Self.headers(ContentType.of(path))
        guard !head, let body = try? HTTPBodySequence(file: file.source, suggestedBufferSize: 1 << 16) else {
            if let size = file.stamp.split(separator: " ").first { headers[.contentLength] = String(size) }
            return HTTPResponse(statusCode: .ok, headers: headers)
        }
        return HTTPResponse(statusCode: .ok, headers: headers, body: body)
    }

    private func notFound(_ snapshot: SiteSnapshot?, head: Bool) -> HTTPResponse {
        if let data = snapshot?["404.html"] {
            return page(data, path: "404.html", status: .notFound, reloadOn: "*", head: head)
        }
        return plain(.notFound, "404 Not Found\n", head: head)
    }

    private func plain(_ status: HTTPStatusCode, _ text: String, extra: [HTTPHeader: String] = [:], head: Bool = false) -> HTTPResponse {
        var response = file(Data(text.utf8), type: "text/plain; charset=utf-8", status: status, head: head)
        for (key, value) in extra { response.headers[key] = value }
        return response
    }

    /// Every page while the site has never built: the errors, and a reload once it does.
    private func noBuildYet(_ diagnostics: [Diagnostic], head: Bool) -> HTTPResponse {
        let lines = diagnostics.map { Self.escape($0.description) }.joined(separator: "\n")
        let html = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>monarch: the site has errors</title></head>
        <body>
        <h1>The site has errors</h1>
        <p>monarch serve shows the site once it builds. Fix these and save; this page reloads by itself.</p>
        <pre>\(lines)</pre>
        </body>
        </html>

        """
        return page(Data(html.utf8), path: "index.html", status: .serviceUnavailable, reloadOn: "*", head: head)
    }

    private static func escape(_ text: String) -> String {
        HTMLEscaping.escapeHTML(text)
    }
}

struct PreviewHandler: HTTPHandler {
    let server: PreviewServer

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        server.respond(to: request)
    }
}

public struct ServeError: Error, CustomStringConvertible, LocalizedError {
    public let description: String
    init(_ description: String) { self.description = description }
    public var errorDescription: String? { description }
}

/// How the first server's run went: whether it listened (and on which port) before it
/// ended, decided under one lock so that a failure at start is reported once, either as a
/// start error or by listening again.
private final class ListenState: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?
    private var finished = false
    private var port: UInt16?

    func set(_ error: Error) { lock.withLock { stored = error } }
    var error: Error? { lock.withLock { stored } }
    var isFinished: Bool { lock.withLock { finished } }

    /// The run ended; the port it listened on, if start() saw it listening.
    func finish() -> UInt16? {
        lock.withLock {
            finished = true
            return port
        }
    }

    /// start() saw it listening; false when the run already ended.
    func listened(on port: UInt16) -> Bool {
        lock.withLock {
            guard !finished else { return false }
            self.port = port
            return true
        }
    }
}
