import Yams

/// A YAML mapping read with the position of every key, so that unknown keys, wrong types and
/// bad values are reported at their own line and column.
public struct YAMLMapping {
    public struct Entry {
        public let key: String
        public let value: Node
        public let location: SourceLocation
    }

    public let entries: [Entry]
    public let location: SourceLocation
    let path: String
    let lineOffset: Int

    /// No resolver rules: Yams resolves the tag of every key while checking for duplicates,
    /// trying each rule's regular expression in turn, which with `.default`'s seven was a third
    /// of reading front matter. Nothing here reads a value by its tag: text and numbers are read
    /// from the scalar, and true/false by `booleans`.
    static let resolver = Resolver.basic

    /// YAML 1.1's booleans, the spellings of Yams's `bool` rule (a plain scalar only).
    static let booleans: [String: Bool] = [
        "yes": true, "Yes": true, "YES": true, "true": true, "True": true, "TRUE": true, "on": true, "On": true, "ON": true,
        "no": false, "No": false, "NO": false, "false": false, "False": false, "FALSE": false, "off": false, "Off": false, "OFF": false,
    ]

    /// Parses `text` (from `path`, starting at line `lineOffset + 1` of that file). A document
    /// that is empty gives an empty mapping; anything else that is not a mapping is an error.
    public static func parse(_ text: String, path: String, lineOffset: Int = 0,
                             diagnostics: DiagnosticsEngine) -> YAMLMapping? {
        let node: Node?
        do {
            // The encoding is given: Yams's default reads the whole environment on every call, which
            // cost 4% of a 5,000-page build (one call per front matter).
            node = try Yams.compose(yaml: text, Self.resolver, .default, .utf8)
        } catch let error as YamlError {
            diagnostics.emit(diagnostic(for: error, path: path, lineOffset: lineOffset))
            return nil
        } catch {
            diagnostics.error(SourceLocation(path: path, line: lineOffset + 1, column: 1), "cannot read YAML: \(error)")
            return nil
        }
        guard let node else {
            return YAMLMapping(entries: [], location: SourceLocation(path: path, line: lineOffset + 1, column: 1),
                               path: path, lineOffset: lineOffset)
        }
        return YAMLMapping(node: node, path: path, lineOffset: lineOffset, diagnostics: diagnostics,
                           what: "the file")
    }

    /// Wraps a node that must be a mapping (for example one item of a list).
    public init?(node: Node, path: String, lineOffset: Int, diagnostics: DiagnosticsEngine, what: String) {
        let location = Self.location(of: node, path: path, lineOffset: lineOffset)
        guard case .mapping(let mapping) = node else {
            diagnostics.error(location, "\(what) must be a mapping of 'key: value' lines")
            return nil
        }
        var entries: [Entry] = []
        var seen = Set<String>()
        for (keyNode, value) in mapping {
            let keyLocation = Self.location(of: keyNode, path: path, lineOffset: lineOffset)
            guard let key = keyNode.scalar?.string else {
                diagnostics.error(keyLocation, "a key must be plain text")
                continue
            }
            if !seen.insert(key).inserted {
                diagnostics.error(keyLocation, "duplicate key '\(key)'; keep only one")
                continue
            }
            entries.append(Entry(key: key, value: value, location: keyLocation))
        }
        self.entries = entries
        self.location = location
        self.path = path
        self.lineOffset = lineOffset
    }

    private init(entries: [Entry], location: SourceLocation, path: String, lineOffset: Int) {
        self.entries = entries
        self.location = location
        self.path = path
        self.lineOffset = lineOffset
    }

    public subscript(key: String) -> Entry? { entries.first { $0.key == key } }

    /// Reports every key not in `allowed`, with a suggestion.
    public func rejectUnknownKeys(allowed: [String], kind: String, diagnostics: DiagnosticsEngine) {
        for entry in entries where !allowed.contains(entry.key) {
            diagnostics.error(entry.location,
                "unknown \(kind) key '\(entry.key)'\(Suggestion.hint(for: entry.key, in: allowed))")
        }
    }

    public func location(ofKey key: String) -> SourceLocation? { self[key]?.location }

    public func location(of node: Node) -> SourceLocation {
        Self.location(of: node, path: path, lineOffset: lineOffset)
    }

    static func location(of node: Node, path: String, lineOffset: Int) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(path: path, line: lineOffset + 1, column: 1) }
        return SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column)
    }

    // MARK: typed values

    public func string(_ key: String, diagnostics: DiagnosticsEngine) -> String? {
        guard let entry = self[key] else { return nil }
        guard case .scalar(let scalar) = entry.value else {
            diagnostics.error(location(of: entry.value), "'\(key)' must be text")
            return nil
        }
        return scalar.string
    }

    public func bool(_ key: String, diagnostics: DiagnosticsEngine) -> Bool? {
        guard let entry = self[key] else { return nil }
        guard case .scalar(let scalar) = entry.value, scalar.style == .plain, let value = Self.booleans[scalar.string] else {
            diagnostics.error(location(of: entry.value), "'\(key)' must be true or false")
            return nil
        }
        return value
    }

    /// A list of plain words (`[ko, th]`), or one word alone; nil (after an error) otherwise.
    public func words(_ key: String, diagnostics: DiagnosticsEngine) -> [String]? {
        guard let entry = self[key] else { return nil }
        if let scalar = entry.value.scalar, !scalar.string.isEmpty { return [scalar.string] }
        if let items = entry.value.sequence {
            let words = items.compactMap { $0.scalar?.string }
            if words.count == items.count { return words }
        }
        diagnostics.error(location(of: entry.value), "'\(key)' must be a list of words, like [ko, th]")
        return nil
    }

    public func int(_ key: String, diagnostics: DiagnosticsEngine) -> Int? {
        guard let entry = self[key] else { return nil }
        guard let value = Self.plainDecimal(entry.value) ?? entry.value.int else {
            diagnostics.error(location(of: entry.value), "'\(key)' must be a whole number")
            return nil
        }
        return value
    }

    /// A plain scalar of decimal digits (`12`, `-3`, no leading zero), read as Yams reads it
    /// but without its Foundation string replacing, which every `weight` paid for.
    static func plainDecimal(_ node: Node) -> Int? {
        guard case .scalar(let scalar) = node, scalar.style == .any || scalar.style == .plain else { return nil }
        let digits = scalar.string.utf8.dropFirst(scalar.string.utf8.first == UInt8(ascii: "-") ? 1 : 0)
        guard let first = digits.first, first != UInt8(ascii: "0") || digits.count == 1,
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(scalar.string)
    }

    static func diagnostic(for error: YamlError, path: String, lineOffset: Int) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "malformed YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line + lineOffset))" }
            return .error(SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column),
                          message + "; check indentation, colons and quotes")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .error(SourceLocation(path: path, line: context.mark.line + lineOffset, column: context.mark.column),
                          "duplicate keys \(duplicates.joined(separator: ", ")); keep only one of each")
        default:
            return .error(SourceLocation(path: path, line: lineOffset + 1, column: 1), "malformed YAML: \(error)")
        }
    }
}
