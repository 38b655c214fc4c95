import Foundation
import MonarchCore

/// `security_headers: true`: the pages' Content-Security-Policy and other security headers as
/// files that hosts read, `_headers` (Netlify, Cloudflare Pages) and `.htaccess` (Apache with
/// mod_headers). A policy in a `<meta>` covers only Monarch's pages; as a header it covers
/// every file the host serves, a PDF or an image opened directly included, and it can say
/// what a `<meta>` cannot (`frame-ancestors`).
enum SecurityHeaders {
    /// The headers besides the policy, in the order written.
    static let others: [(String, String)] = [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Permissions-Policy",
         "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"),
        ("X-Frame-Options", "DENY"),
    ]

    /// Adds both files, with the policy of the chooser page (the theme's `<meta>`, which every
    /// page shares); a theme without one is an error, since the headers would then say less
    /// than the option promises.
    static func add(to rendered: inout SiteBuilder.Rendered, diagnostics: DiagnosticsEngine) {
        guard let chooser = rendered.files.first(where: { $0.path == "index.html" }),
              let policy = policy(in: String(decoding: chooser.data, as: UTF8.self)) else {
            diagnostics.error(SourceLocation(path: SiteConfig.fileName),
                "security_headers: true, but the theme's pages have no <meta http-equiv=\"Content-Security-Policy\">; add one to the page template or remove the option")
            return
        }
        let headers = [("Content-Security-Policy", policy + "; frame-ancestors 'none'")] + others
        rendered.files.append(("_headers", Data(netlify(headers).utf8)))
        rendered.files.append((".htaccess", Data(apache(headers).utf8)))
    }

    /// `_headers`: every path of the site gets them.
    static func netlify(_ headers: [(String, String)]) -> String {
        "/*\n" + headers.map { "  \($0.0): \($0.1)\n" }.joined()
    }

    /// `.htaccess`: set on every response, errors included, when mod_headers is loaded.
    static func apache(_ headers: [(String, String)]) -> String {
        func quoted(_ value: String) -> String {
            "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return "<IfModule mod_headers.c>\n"
            + headers.map { "  Header always set \($0.0) \(quoted($0.1))\n" }.joined()
            + "</IfModule>\n"
    }

    /// The `content` of the page's Content-Security-Policy `<meta>`, read with the HTML parser
    /// the privacy check uses (`HTMLTree`: entities decoded, any attribute order or quoting).
    static func policy(in html: String) -> String? {
        let tree = HTMLTree(parsing: Array(html.utf8))
        guard let meta = tree.elements.first(where: {
            $0.name == "meta" && $0.attribute("http-equiv")?.value.lowercased() == "content-security-policy"
        }), let value = meta.attribute("content")?.value else { return nil }
        // One line: a line break in the template's attribute must not start another header.
        let oneLine = String(value.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        let trimmed = oneLine.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }
}
