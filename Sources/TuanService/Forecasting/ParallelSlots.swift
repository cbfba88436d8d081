import Foundation

/// One slot per result of a `concurrentPerform`, each written once by the iteration that
/// computes it: no two threads write the same slot, and `all` is read only after every
/// iteration is done (the lock orders the writes before that read).
final class ParallelSlots<Value>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func put(_ value: Value, at index: Int) {
        lock.lock()
        precondition(slots[index] == nil, "each slot is written once")
        slots[index] = value
        lock.unlock()
    }

    var all: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}
