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

extension ParallelSlots {
    /// `body` of every index below `count`, in order, computed on every core: as many slices as
    /// there are cores, but none with fewer than `perSlice` indices (small jobs are not worth a
    /// thread), each slice taking every n-th index so that uneven costs spread evenly.
    static func map(_ count: Int, perSlice: Int, _ body: @Sendable (Int) -> Value) -> [Value] {
        let slices = max(1, min(count / max(1, perSlice), ProcessInfo.processInfo.activeProcessorCount))
        let results = ParallelSlots(count: count)
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            for index in stride(from: slice, to: count, by: slices) { results.put(body(index), at: index) }
        }
        return results.all
    }
}
