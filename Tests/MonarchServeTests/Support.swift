import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MonarchServe

/// A copy of a fixture site in a temporary folder, served by a real `PreviewServer` on
/// 127.0.0.1 and an ephemeral port.
final class PreviewFixture: @unchecked Sendable {
    let site: URL
    let server: PreviewServer
    private(set) var url: URL!
    var port: UInt16 { UInt16(url.port!) }

    init(_ name: String = "i18n", prepare: (URL) throws -> Void = { _ in }) async throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("monarch-serve-tests-\(UUID().uuidString)")
        site = folder.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Repo.site(name), to: site)
        try prepare(site)
        server = PreviewServer(options: .init(siteFolder: site, builtInTheme: Repo.root, port: 0, pollInterval: 0.02))
        url = try await server.start()
    }

    func close() async {
        await server.stop()
        try? FileManager.default.removeItem(at: site.deletingLastPathComponent())
    }

    func write(_ relative: String, _ text: String) throws {
        try Data(text.utf8).write(to: site.appendingPathComponent(relative))
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOf: site.appendingPathComponent(relative), encoding: .utf8)
    }

    func get(_ target: String, method: String = "GET") async throws -> HTTPReply {
        try await RawHTTP.request(port: port, target: target, method: method)
    }

    /// Waits until the server has made more than `count` builds; returns the newest.
    func build(after count: Int, timeout: Double = 60) async throws -> PreviewServer.BuildReport {
        try await poll(timeout: timeout, "build \(count + 1)") {
            let reports = server.reports
            return reports.count > count ? reports.last : nil
        }
    }
}

/// Polls `check` until it returns a value or the deadline passes. The deadlines here (and a
/// request's) are generous: the server runs on Swift's cooperative pool, which the other
/// suites' builds keep busy in a full `swift test` on two cores (a reply took over 10 s once).
func poll<T>(timeout: Double = 60, _ what: String, _ check: () async throws -> T?) async throws -> T {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let value = try await check() { return value }
        try await Task.sleep(nanoseconds: 5_000_000)
    }
    throw TestFailure("timed out waiting for \(what)")
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

struct HTTPReply: Sendable {
    let status: Int
    let headers: [String: String]   // lower-cased names
    let body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// HTTP over a plain loopback socket: the request target goes out byte for byte (URLSession
/// would clean up `..` and `%2e` before sending), and blocking reads run on their own thread,
/// off the cooperative pool the server runs on.
enum RawHTTP {
    static func connect(port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { close(fd); throw TestFailure("connect: errno \(errno)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    static func send(_ fd: Int32, _ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestFailure("send: errno \(errno)") }
            sent += n
        }
    }

    /// Reads what is there within the receive timeout; nil at end of stream.
    static func readSome(_ fd: Int32) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBufferPointer { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 { return Array(buffer[..<n]) }
        if n == 0 { return nil }
        return []   // timeout
    }

    static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }

    static func request(port: UInt16, target: String, method: String = "GET") async throws -> HTTPReply {
        try await offThePool {
            let fd = try connect(port: port)
            defer { close(fd) }
            try send(fd, "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
            var data: [UInt8] = []
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                guard let chunk = readSome(fd) else { break }
                data += chunk
                if let reply = parse(data, method: method) { return reply }
            }
            if let reply = parse(data, method: method) { return reply }
            throw TestFailure("no complete reply to \(method) \(target): \(String(decoding: data, as: UTF8.self))")
        }
    }

    /// A complete reply with a Content-Length body, or nil.
    static func parse(_ data: [UInt8], method: String) -> HTTPReply? {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = (0...max(0, data.count - 4)).first(where: { data.count >= 4 && Array(data[$0..<$0 + 4]) == separator }) else { return nil }
        let head = String(decoding: data[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = head.first, statusLine.split(separator: " ").count >= 2,
              let status = Int(statusLine.split(separator: " ")[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = Array(data[(end + 4)...])
        let length = Int(headers["content-length"] ?? "") ?? 0
        if method == "HEAD" { return HTTPReply(status: status, headers: headers, body: Data()) }
        guard body.count >= length else { return nil }
        return HTTPReply(status: status, headers: headers, body: Data(body[..<length]))
    }
}

/// One server-sent event.
struct SSEEvent: Sendable {
    let name: String
    let data: String
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:] }
}

/// A tab listening to `/__monarch/events` over a raw socket.
final class EventListener: @unchecked Sendable {
    private let fd: Int32
    private var buffer = ""
    private var events: [SSEEvent] = []
    private var consumed = 0

    init(port: UInt16) async throws {
        fd = try await RawHTTP.offThePool {
            let fd = try RawHTTP.connect(port: port)
            try RawHTTP.send(fd, "GET /__monarch/events HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n\r\n")
            return fd
        }
    }

    deinit { close(fd) }

    /// Waits for the next event called `name` (skipping others); nil at the deadline.
    func next(_ name: String, timeout: Double = 60) async throws -> SSEEvent {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            while consumed < events.count {
                let event = events[consumed]
                consumed += 1
                if event.name == name { return event }
            }
            let chunk = try await RawHTTP.offThePool { [fd] in RawHTTP.readSome(fd) }
            guard let chunk else { throw TestFailure("event stream closed while waiting for '\(name)'") }
            buffer += String(decoding: chunk, as: UTF8.self)
            parse()
        }
        throw TestFailure("no '\(name)' event within \(timeout) s")
    }

    /// Each event is written as one chunk, so its text is contiguous in the stream.
    private func parse() {
        while let start = buffer.range(of: "event: "), let end = buffer.range(of: "\n\n", range: start.upperBound..<buffer.endIndex) {
            let block = buffer[start.lowerBound..<end.lowerBound]
            var name = "", data = ""
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            events.append(SSEEvent(name: name, data: data))
            buffer.removeSubrange(buffer.startIndex..<end.upperBound)
        }
    }
}

/// Serves a fresh copy of a fixture for `body`, and stops the server whatever happens.
func withPreview(_ name: String = "i18n", prepare: (URL) throws -> Void = { _ in },
                 _ body: (PreviewFixture) async throws -> Void) async throws {
    let fixture = try await PreviewFixture(name, prepare: prepare)
    do {
        try await body(fixture)
    } catch {
        await fixture.close()
        throw error
    }
    await fixture.close()
}
