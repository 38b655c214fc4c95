import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which `Host` a request for the preview may name. A web page on another site can have the
/// reader's browser send requests to 127.0.0.1 through a name of its own that it re-points
/// there (DNS rebinding), and then read the answers (drafts, `/__monarch/errors`) as its own
/// origin: such a request names that other host. A page can only name the preview by an IP
/// address if it was loaded from that address, so an IP address is safe whatever it is
/// (127.0.0.1, ::1, or this machine's address on the network with `--host 0.0.0.0`), and so
/// is `localhost` and any name under `.localhost`, which browsers resolve to loopback
/// themselves. Every other name is refused.
enum RequestHost {
    /// nil `Host` (an HTTP/1.0 client such as `curl -0`) is allowed: browsers always send
    /// one, and a program that can leave it out can reach the socket without a browser.
    static func isAllowed(_ value: String?) -> Bool {
        guard let value else { return true }
        guard let name = hostName(value) else { return false }
        if name.hasPrefix("[") {
            var address = in6_addr()
            return inet_pton(AF_INET6, String(name.dropFirst().dropLast()), &address) == 1
        }
        var address = in_addr()
        if inet_pton(AF_INET, name, &address) == 1 { return true }
        var lowered = name.lowercased()
        if lowered.hasSuffix(".") { lowered.removeLast() }
        return lowered == "localhost" || lowered.hasSuffix(".localhost")
    }

    /// The host part of a `Host` value (`[::1]` kept in brackets), nil when the value is
    /// not `host` or `host:port`.
    private static func hostName(_ value: String) -> String? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || isPort(rest) else { return nil }
            return String(text[...close])
        }
        var name = Substring(text)
        if let colon = text.lastIndex(of: ":") {
            guard isPort(text[colon...]) else { return nil }
            name = text[..<colon]
        }
        guard !name.isEmpty, !name.contains(":") else { return nil }
        return String(name)
    }

    /// `:8080`
    private static func isPort(_ text: Substring) -> Bool {
        let digits = text.dropFirst()
        return text.first == ":" && !digits.isEmpty && digits.count <= 5 && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The body of the 403 answer.
    static func refusal(servedAt url: URL?) -> String {
        """
        403 Forbidden
        monarch serve answers only requests addressed to localhost or an IP address, such as \
        \(url?.absoluteString ?? "http://127.0.0.1:8080/"). This one named another host, as a web site \
        does when it tries to read the preview through a domain of its own (DNS rebinding).

        """
    }
}
