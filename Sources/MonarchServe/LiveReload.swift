import Foundation
import FlyingFox
import FlyingSocks
import MonarchMarkdown

/// The open browser tabs: one server-sent-events stream each (`GET /__monarch/events`).
final class EventHub: @unchecked Sendable {
    private let lock = NSLock()
    private var clients: [Int: AsyncStream<Data>.Continuation] = [:]
    private var nextID = 0
    private var closed = false

    /// A new stream that starts with `initial` (the current state, so that a tab opened
    /// while the site is broken shows the overlay at once).
    func subscribe(initial: Data) -> AsyncStream<Data> {
        let (stream, continuation) = AsyncStream<Data>.makeStream(bufferingPolicy: .bufferingNewest(64))
        continuation.yield(initial)
        lock.lock()
        if closed {
            lock.unlock()
            continuation.finish()
            return stream
        }
        let id = nextID
        nextID += 1
        clients[id] = continuation
        lock.unlock()
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        return stream
    }

    func broadcast(_ event: Data) {
        lock.lock()
        let current = Array(clients.values)
        lock.unlock()
        for client in current { client.yield(event) }
    }

    /// Ends every stream (the server is stopping).
    func finishAll() {
        lock.lock()
        closed = true
        let current = Array(clients.values)
        clients = [:]
        lock.unlock()
        for client in current { client.finish() }
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return clients.count
    }

    private func remove(_ id: Int) {
        lock.lock()
        clients[id] = nil
        lock.unlock()
    }

    /// One event in the text/event-stream format.
    static func event(_ name: String, json: [String: Any]) -> Data {
        let body = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        var data = Data("event: \(name)\ndata: ".utf8)
        data.append(body)
        data.append(Data("\n\n".utf8))
        return data
    }

    static let ping = Data(": ping\n\n".utf8)
}

/// An event stream as the byte sequence FlyingFox sends, one chunk per event, as it comes.
struct EventStreamBody: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let events: AsyncStream<Data>

    func makeAsyncIterator() -> Iterator { Iterator(events: events.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var events: AsyncStream<Data>.Iterator
        var pending: [UInt8] = []

        mutating func next() async throws -> UInt8? {
            if pending.isEmpty {
                guard let data = await events.next() else { return nil }
                pending = Array(data)
            }
            return pending.isEmpty ? nil : pending.removeFirst()
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            if !pending.isEmpty {
                defer { pending = [] }
                return pending
            }
            while true {
                guard let data = await events.next() else { return nil }
                if !data.isEmpty { return Array(data) }
            }
        }
    }
}

/// The script every HTML response gets in preview, and only in preview: `monarch build`
/// never writes it. It listens to `/__monarch/events`, reloads the tab when its own page or
/// any non-HTML file (a stylesheet, an image) changed, and shows build errors in a box fixed
/// at the bottom of the window, with the `path:line:col` lines of the terminal.
enum LiveReload {
    static let scriptPath = "/__monarch/live.js"
    static let eventsPath = "/__monarch/events"
    static let errorsPath = "/__monarch/errors"

    /// The tag inserted before `</body>`; `page` is the output path the tab shows, `*` for a
    /// page that should reload on any change (the 404 page, the "no good build yet" page).
    static func tag(page: String) -> String {
        // Byte by byte: Foundation's replacingOccurrences skips a quote a combining mark follows.
        let escaped = HTMLEscaping.escapeHTML(page)
        return "<script src=\"\(scriptPath)\" data-page=\"\(escaped)\"></script>"
    }

    /// `html` with the tag inserted before its last `</body>` (any case), or at its end.
    static func inject(into html: Data, page: String) -> Data {
        let tag = Data(tag(page: page).utf8)
        let needle = Array("</body".utf8)
        let bytes = [UInt8](html)
        func lower(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte | 0x20 : byte }
        var index = bytes.count - needle.count
        while index >= 0 {
            if (0..<needle.count).allSatisfy({ lower(bytes[index + $0]) == needle[$0] }) {
                var result = Data(bytes[..<index])
                result.append(tag)
                result.append(contentsOf: bytes[index...])
                return result
            }
            index -= 1
        }
        var result = html
        result.append(tag)
        return result
    }

    static let script = #"""
    (function () {
      'use strict';
      var me = document.currentScript;
      var page = me && me.getAttribute('data-page');
      var box = null, broken = false, server = null;
      function show(list) {
        if (!list.length) { if (box) { box.remove(); box = null; } return; }
        if (!box) {
          box = document.createElement('pre');
          box.id = 'monarch-errors';
          box.setAttribute('role', 'alert');
          box.style.cssText = 'position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;' +
            'z-index:2147483647;margin:0;padding:1em 1.25em;background:#1d0c0c;color:#fff;' +
            'border-top:4px solid #e5484d;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;' +
            'white-space:pre-wrap;text-align:left;direction:ltr';
          document.body.appendChild(box);
        }
        box.textContent = 'monarch: the site has errors; this is the last good build.\n\n' +
          list.map(function (d) { return d.text; }).join('\n');
      }
      var events = new EventSource('/__monarch/events');
      events.addEventListener('hello', function (e) {
        var data = JSON.parse(e.data);
        if (server && server !== data.server) { location.reload(); }
        server = data.server;
      });
      events.addEventListener('errors', function (e) {
        var list = JSON.parse(e.data).diagnostics.filter(function (d) { return d.severity === 'error'; });
        broken = list.length > 0;
        show(list);
      });
      events.addEventListener('reload', function (e) {
        var changed = JSON.parse(e.data).changed;
        if (!page || page === '*' || changed.some(function (p) { return p === page || !/\.html$/.test(p); })) {
          location.reload();
        }
      });
    })();
    """#
}
