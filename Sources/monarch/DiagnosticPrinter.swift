import Foundation
import MonarchCore

/// Writes diagnostics to standard error, one per line, compiler style; colour only on a terminal.
enum DiagnosticPrinter {
    static let isTerminal = isatty(2) != 0
    static let colour = isTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    static func print(_ diagnostics: [Diagnostic]) {
        var text = ""
        for diagnostic in diagnostics {
            let location = printable(diagnostic.location.description)
            let message = printable(diagnostic.message)
            if colour {
                let code = diagnostic.severity == .error ? "31" : diagnostic.severity == .warning ? "33" : "36"
                text += "\u{1B}[1m\(location):\u{1B}[0m \u{1B}[1;\(code)m\(diagnostic.severity.rawValue):\u{1B}[0m \(message)\n"
            } else {
                text += "\(location): \(diagnostic.severity.rawValue): \(message)\n"
            }
        }
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `text` with what a terminal would act on instead of showing (escape sequences, bells,
    /// line breaks, C1 controls, bidirectional overrides) written as visible escapes: file
    /// names and link texts come from contributors, and a diagnostic stays one honest line.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isHidden) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isHidden(scalar) {
                out += scalar.value < 0x100 ? String(format: "\\x%02X", scalar.value) : String(format: "\\u{%X}", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// The one-line summary that ends every run.
    static func summary(_ line: String) {
        FileHandle.standardError.write(Data("monarch: \(line)\n".utf8))
    }

    /// A progress line on a terminal, rewritten in place; nil clears it.
    static func status(_ line: String?) {
        guard isTerminal else { return }
        let text = line.map { "\r\u{1B}[2Kmonarch: \($0)…" } ?? "\r\u{1B}[2K"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
