import Foundation

/// A value worked out once, by whichever thread asks first; a second asker waits for it.
public final class Once<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var made: Value?
    private let make: () -> Value

    public init(_ make: @escaping () -> Value) { self.make = make }

    public var value: Value {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let value = make()
        made = value
        return value
    }
}
