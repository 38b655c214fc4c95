/// Changes one front-matter key in a page's text and leaves every other byte as it was
/// (line endings included), for `monarch status --mark`.
public enum FrontMatterEditor {
    /// `text` with `key: value` set: the key's line replaced where it exists, else a line added
    /// at the end of the front matter (which is created when the page has none).
    public static func setting(_ key: String, to value: String, in text: String) -> String {
        let newline = text.contains("\r\n") ? "\r\n" : "\n"
        var lines = text.components(separatedBy: newline)
        let line = "\(key): \(value)"
        guard lines.first == "---" || lines.first == "\u{FEFF}---" else {
            return "---\(newline)\(line)\(newline)---\(newline)" + text
        }
        var index = 1
        while index < lines.count, lines[index] != "---", lines[index] != "..." {
            if lines[index].hasPrefix("\(key):") {
                lines[index] = line
                return lines.joined(separator: newline)
            }
            index += 1
        }
        guard index < lines.count else {
            // An unterminated front matter is the build's error to report; change nothing.
            return text
        }
        lines.insert(line, at: index)
        return lines.joined(separator: newline)
    }
}
