import Foundation
import MonarchCore

/// Writes diagnostics to standard error, one per line, compiler style; colour only on a terminal.
enum DiagnosticPrinter {
    static let isTerminal = isatty(2) != 0
    static let colour = isTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    static func print(_ diagnostics: [Diagnostic]) {
        var text = ""
        for diagnostic in diagnostics {
            if colour {
                let code = diagnostic.severity == .error ? "31" : diagnostic.severity == .warning ? "33" : "36"
                text += "\u{1B}[1m\(diagnostic.location.description):\u{1B}[0m \u{1B}[1;\(code)m\(diagnostic.severity.rawValue):\u{1B}[0m \(diagnostic.message)\n"
            } else {
                text += diagnostic.description + "\n"
            }
        }
        FileHandle.standardError.write(Data(text.utf8))
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
