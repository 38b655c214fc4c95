/// A position in a file of the site, for messages a person can act on.
public struct SourceLocation: Sendable, Hashable, Comparable {
    /// Path relative to the site folder, e.g. `content/th/police/stop.md`.
    public var path: String
    /// 1-based line, or nil when the problem concerns the whole file.
    public var line: Int?
    /// 1-based column, or nil.
    public var column: Int?

    public init(path: String, line: Int? = nil, column: Int? = nil) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String {
        var text = path
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.path, a.line ?? 0, a.column ?? 0) < (b.path, b.line ?? 0, b.column ?? 0)
    }
}

/// One problem found while loading, checking or building a site.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error, warning, note
    }

    public var severity: Severity
    public var location: SourceLocation
    /// What is wrong and what to do, without a final period: "unknown key 'titel'; did you mean 'title'?"
    public var message: String

    public init(_ severity: Severity, _ location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    public static func error(_ location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.error, location, message)
    }

    public static func warning(_ location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.warning, location, message)
    }

    /// Compiler style: `path:line:col: error: message`.
    public var description: String {
        "\(location.description): \(severity.rawValue): \(message)"
    }
}

/// As the build cache's record and a print worker's manifest carry it: one flat object
/// (`severity`, `path`, `line`, `column`, `message`).
extension Diagnostic: Codable {
    private enum CodingKeys: String, CodingKey {
        case severity, path, line, column, message
    }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try values.decode(Severity.self, forKey: .severity),
                  SourceLocation(path: try values.decode(String.self, forKey: .path),
                                 line: try values.decodeIfPresent(Int.self, forKey: .line),
                                 column: try values.decodeIfPresent(Int.self, forKey: .column)),
                  try values.decode(String.self, forKey: .message))
    }

    public func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(severity, forKey: .severity)
        try values.encode(location.path, forKey: .path)
        try values.encodeIfPresent(location.line, forKey: .line)
        try values.encodeIfPresent(location.column, forKey: .column)
        try values.encode(message, forKey: .message)
    }
}
