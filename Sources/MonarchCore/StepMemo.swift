import Foundation

/// Remembers the result of a pure build step between two builds of one process (the
/// preview), so that a rebuild redoes only the steps whose input changed.
///
/// Each result sits in a *slot* (a file, an output page) with the *key* it was computed
/// from: the whole input, not a hash of it, so a hit is always exactly the same input and
/// a memo can never serve a stale result. A slot holds one result: a new key replaces the
/// old one, so the memo stays the size of one build. The diagnostics the step reported are
/// kept with the result and reported again on every hit, so that a rebuild shows the same
/// warnings and errors as a full build.
///
/// A result computed from one file can also be found by the file's `FileStamp`, taken
/// before the file was read: a file whose stamp is the recorded one is not read again to
/// compare its text (the build cache's rule, so a save costs one file's read, not every
/// file's).
public final class StepMemo<Value>: @unchecked Sendable {
    private struct Entry {
        let key: String
        let value: Value
        let diagnostics: [Diagnostic]
        /// The `FileStamp` of the file `key` was read from; "" when there was none to trust.
        var stamp = ""
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var hitCount = 0
    private var missCount = 0
    private var stampHitCount = 0

    public init() {}

    /// The remembered value when `slot` was last computed from `key`; else `compute`'s,
    /// which is remembered. `compute` reports into the engine it is given.
    /// `stamp` is the `FileStamp` of the file `key` was read from (taken before reading it),
    /// remembered with the result for `value(slot:stamp:diagnostics:)`.
    public func value(slot: String, key: String, stamp: String = "", diagnostics: DiagnosticsEngine,
                      compute: (DiagnosticsEngine) -> Value) -> Value {
        lock.lock()
        let hit = entries[slot]
        lock.unlock()
        if let hit, hit.key == key {
            for diagnostic in hit.diagnostics { diagnostics.emit(diagnostic) }
            lock.lock()
            hitCount += 1
            // A file saved unchanged, or one now old enough to be trusted, is found by its stamp next time.
            if hit.stamp != stamp { entries[slot]?.stamp = stamp }
            lock.unlock()
            return hit.value
        }
        let own = DiagnosticsEngine()
        let value = compute(own)
        let reported = own.diagnostics
        for diagnostic in reported { diagnostics.emit(diagnostic) }
        lock.lock()
        entries[slot] = Entry(key: key, value: value, diagnostics: reported, stamp: stamp)
        missCount += 1
        lock.unlock()
        return value
    }

    /// The remembered value of `slot` when it was computed from a file whose stamp was
    /// `stamp`, without reading the file; nil when `stamp` is empty (too recent to be
    /// trusted) or another. A hit reports the step's diagnostics again, as `value` does.
    public func value(slot: String, stamp: String, diagnostics: DiagnosticsEngine) -> Value? {
        guard !stamp.isEmpty else { return nil }
        lock.lock()
        let hit = entries[slot]
        guard let hit, hit.stamp == stamp else { lock.unlock(); return nil }
        hitCount += 1
        stampHitCount += 1
        lock.unlock()
        for diagnostic in hit.diagnostics { diagnostics.emit(diagnostic) }
        return hit.value
    }

    /// Remembers `value` for `slot` as computed from `key`, with no diagnostics (a result kept
    /// from an earlier process: the build cache's search entries).
    public func preload(slot: String, key: String, value: Value) {
        lock.lock()
        entries[slot] = Entry(key: key, value: value, diagnostics: [])
        lock.unlock()
    }

    /// Every slot's key and value.
    public func snapshot() -> [String: (key: String, value: Value)] {
        lock.lock()
        defer { lock.unlock() }
        return entries.mapValues { ($0.key, $0.value) }
    }

    /// Forgets the slots not in `slots` (files deleted since), so the memo does not grow.
    public func keepOnly(_ slots: Set<String>) {
        lock.lock()
        entries = entries.filter { slots.contains($0.key) }
        lock.unlock()
    }

    /// Hits and misses since the last call, for tests and `--verbose`; `byStamp`: the hits
    /// found by a file's stamp, whose file was not read.
    public func takeCounts() -> (hits: Int, misses: Int, byStamp: Int) {
        lock.lock()
        defer { hitCount = 0; missCount = 0; stampHitCount = 0; lock.unlock() }
        return (hitCount, missCount, stampHitCount)
    }
}
