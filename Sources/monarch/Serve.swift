import ArgumentParser
import Dispatch
import Foundation
import MonarchCore
import MonarchServe

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview the site on 127.0.0.1 and reload the browser on every saved change.")

    @OptionGroup var siteOptions: SiteOptions

    @Option(name: .long, help: "The address to listen on. Anything but 127.0.0.1 or ::1 shows the preview to other machines.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "The port (default: 8080, or a free port when 8080 is taken; 0: any free port).")
    var port: Int?

    func validate() throws {
        if let port, !(0...65535).contains(port) {
            throw ValidationError("--port must be between 0 and 65535")
        }
        var v4 = in_addr(), v6 = in6_addr()
        guard host == "localhost" || inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1 else {
            throw ValidationError("--host must be an IP address such as 127.0.0.1, ::1 or 0.0.0.0, not '\(host)'")
        }
    }

    func run() throws {
        let site = siteOptions.siteURL.standardizedFileURL
        guard FileManager.default.fileExists(atPath: site.appendingPathComponent("site.yaml").path) else {
            DiagnosticPrinter.print([.error(SourceLocation(path: "site.yaml"),
                "no site.yaml in \(site.path); run monarch serve in a site folder or pass --site")])
            throw ExitCode(1)
        }
        raiseOpenFileLimit()
        let server = PreviewServer(options: .init(siteFolder: site, host: host, port: port),
                                   onBuild: { report in Self.show(report) },
                                   onNotice: { line in DiagnosticPrinter.summary(line) })
        let finished = DispatchSemaphore(value: 0)
        let status = StatusBox()

        // Ctrl-C (and SIGTERM) stop the server cleanly: connections closed, temporary build
        // folder removed, exit status 0. A second Ctrl-C quits at once.
        StopSignal.install {
            Task {
                await server.stop()
                DiagnosticPrinter.summary("preview stopped")
                finished.signal()
            }
        }

        Task {
            do {
                let url = try await server.start()
                if !["127.0.0.1", "::1", "localhost"].contains(host) {
                    DiagnosticPrinter.summary("warning: listening on \(host): anyone who can reach this machine can read the preview")
                }
                FileHandle.standardOutput.write(Data("Serving \(site.lastPathComponent) at \(url.absoluteString)\n".utf8))
                DiagnosticPrinter.summary("watching site.yaml, content/, templates/, translations/, static/; Ctrl-C to stop")
            } catch {
                DiagnosticPrinter.summary("cannot serve: \(error.localizedDescription)")
                await server.stop()
                status.set(1)
                finished.signal()
            }
        }
        finished.wait()
        if status.value != 0 { throw ExitCode(status.value) }
    }

    /// Every tab holds a connection open for live reload, and a page asks for its styles,
    /// scripts and images at once: macOS's default of 256 open files is soon reached. The
    /// hard limit is what the system allows this process; the soft one is only a default.
    private func raiseOpenFileLimit() {
        var limit = rlimit()
        #if canImport(Darwin)
        let resource = RLIMIT_NOFILE
        #else
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #endif
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        #if canImport(Darwin)
        // macOS refuses more than OPEN_MAX even when the hard limit is unlimited.
        limit.rlim_cur = min(limit.rlim_max, rlim_t(OPEN_MAX))
        #else
        limit.rlim_cur = limit.rlim_max
        #endif
        _ = setrlimit(resource, &limit)
    }

    /// One line per build on standard error, and its diagnostics, compiler style.
    static func show(_ report: PreviewServer.BuildReport) {
        DiagnosticPrinter.print(report.diagnostics)
        let warnings = report.diagnostics.filter { $0.severity == .warning }.count
        guard report.succeeded, let summary = report.summary else {
            let kept = report.number == 1 ? "nothing to serve until it builds" : "still serving the last good build"
            DiagnosticPrinter.summary("build failed: \(report.errors.count) error(s), \(warnings) warning(s); \(kept)")
            return
        }
        if report.number == 1 {
            DiagnosticPrinter.summary(String(format: "built %d pages in %d languages, %d pamphlets, %d warnings in %.2f s",
                                             summary.pages, summary.languages, summary.pamphlets, warnings, report.seconds))
            return
        }
        let cause = report.sources.isEmpty ? "" : " (" + Self.list(report.sources) + ")"
        let changes = report.changes
        let what = changes.isEmpty ? "no output changed"
            : "\(changes.count) file\(changes.count == 1 ? "" : "s") changed: " + Self.list(changes.all)
        DiagnosticPrinter.summary("rebuilt in " + String(format: "%.2f", report.seconds) + " s\(cause): \(what)")
    }

    private static func list(_ paths: [String]) -> String {
        paths.count <= 4 ? paths.joined(separator: ", ")
            : paths.prefix(3).joined(separator: ", ") + " and \(paths.count - 3) more"
    }
}

private final class StatusBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Int32 = 0
    func set(_ value: Int32) { lock.lock(); stored = value; lock.unlock() }
    var value: Int32 { lock.lock(); defer { lock.unlock() }; return stored }
}

/// SIGINT and SIGTERM. The handler only writes a byte to a pipe, about all a signal handler
/// may safely do; a thread waiting on the pipe runs the stop. (A Dispatch signal source does
/// not see a signal on Linux once it is ignored, and before that the default action kills.)
private enum StopSignal {
    nonisolated(unsafe) static var pipeWrite: Int32 = -1
    nonisolated(unsafe) static var received: Int32 = 0

    static func install(_ stop: @escaping @Sendable () -> Void) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return }
        pipeWrite = ends[1]
        let readEnd = ends[0]
        // A parent may have started us with them blocked (the mask is inherited through
        // exec; Swift's test runner does it), and then neither Ctrl-C nor SIGTERM would stop us.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for number in [SIGINT, SIGTERM] {
            signal(number) { _ in
                StopSignal.received += 1
                if StopSignal.received > 1 { _exit(130) }
                var byte: UInt8 = 1
                _ = write(StopSignal.pipeWrite, &byte, 1)
            }
        }
        Thread.detachNewThread {
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) < 0, errno == EINTR {}
            stop()
        }
    }
}
