import Dispatch

/// Runs a pure function over an array on every core and keeps the input order.
public enum ParallelMap {
    public static func map<T: Sendable, R>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        if items.count < 2 { return items.map(transform) }
        return withoutActuallyEscaping(transform) { transform in
            let box = ResultBox<R>(count: items.count)
            DispatchQueue.concurrentPerform(iterations: items.count) { index in
                box.set(index, transform(items[index]))
            }
            return box.values()
        }
    }
}

private final class ResultBox<R>: @unchecked Sendable {
    private var storage: UnsafeMutablePointer<R?>
    private let count: Int

    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil, count: count)
    }

    /// Each index is written by exactly one iteration, so no lock is needed.
    func set(_ index: Int, _ value: R) { storage[index] = value }

    func values() -> [R] { (0..<count).map { storage[$0]! } }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }
}
