import Foundation
import TuanDomain

/// A clock a test sets by hand.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Timestamp

    public init(_ t: Timestamp) { value = t }

    public var now: Timestamp {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
}

extension TestClock {
    public func advance(seconds: Int64) { now = now.adding(seconds: seconds) }
}
