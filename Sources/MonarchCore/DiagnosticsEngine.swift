import Foundation

/// Collects every diagnostic of a run, from any thread, so that a build reports all its
/// errors at once instead of stopping at the first.
public final class DiagnosticsEngine: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [Diagnostic] = []

    public init() {}

    public func emit(_ diagnostic: Diagnostic) {
        lock.lock()
        collected.append(diagnostic)
        lock.unlock()
    }

    public func error(_ location: SourceLocation, _ message: String) {
        emit(.error(location, message))
    }

    public func warning(_ location: SourceLocation, _ message: String) {
        emit(.warning(location, message))
    }

    /// All diagnostics, deduplicated, in a stable order (by file, line, column, message), so
    /// that two runs print the same lines whatever the thread scheduling.
    public var diagnostics: [Diagnostic] {
        lock.lock()
        defer { lock.unlock() }
        var seen = Set<Diagnostic>()
        return collected.filter { seen.insert($0).inserted }.sorted {
            ($0.location, $0.message) < ($1.location, $1.message)
        }
    }

    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }
    public var hasErrors: Bool {
        lock.lock()
        defer { lock.unlock() }
        return collected.contains { $0.severity == .error }
    }
}

extension Diagnostic: Comparable {
    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        (a.location, a.message) < (b.location, b.message)
    }
}
