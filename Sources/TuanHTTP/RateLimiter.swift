import Synchronization

/// Token buckets by client: each key may spend `burst` requests at once and regains
/// `perMinute` of them a minute. For what anyone may post without a token (a pledge form, a
/// sign-in form), so that one address can neither flood the writer nor try tokens at speed.
///
/// Arithmetic is in whole units (one request = 60 000 units, and a key regains `perMinute`
/// units a millisecond), so no rounding drifts. Memory is bounded: at `maximumKeys` the
/// buckets that have refilled are dropped (a full bucket is the same as none), and if every
/// key is still draining, all are forgotten: a flood from that many addresses resets the
/// limits rather than growing without bound.
public final class RateLimiter: Sendable {
    public struct Decision: Sendable, Equatable {
        public var allowed: Bool
        /// Whole seconds until the next request would be allowed; 0 when allowed.
        public var retryAfterSeconds: Int
    }

    public let perMinute: Int
    public let burst: Int
    public let maximumKeys: Int

    private static let unitsPerRequest: Int64 = 60_000

    private struct Bucket {
        var units: Int64
        var updatedAt: Int64

        /// The units held at `now`, refilled at `rate` a millisecond up to `capacity`.
        func units(at now: Int64, rate: Int64, capacity: Int64) -> Int64 {
            min(capacity, units + max(0, now - updatedAt) * rate)
        }
    }

    private let buckets = Mutex<[String: Bucket]>([:])

    public init(perMinute: Int, burst: Int, maximumKeys: Int = 10_000) {
        precondition(perMinute > 0 && burst > 0 && maximumKeys > 0)
        self.perMinute = perMinute
        self.burst = burst
        self.maximumKeys = maximumKeys
    }

    /// Spends one request for `key` now, if it has one left.
    public func check(_ key: String) -> Decision { check(key, atMilliseconds: EventLoop.monotonicMilliseconds()) }

    public func check(_ key: String, atMilliseconds now: Int64) -> Decision {
        let capacity = Int64(burst) * Self.unitsPerRequest
        let rate = Int64(perMinute)
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(units: capacity, updatedAt: now)
            bucket = Bucket(units: bucket.units(at: now, rate: rate, capacity: capacity), updatedAt: now)
            let decision: Decision
            if bucket.units >= Self.unitsPerRequest {
                bucket.units -= Self.unitsPerRequest
                decision = Decision(allowed: true, retryAfterSeconds: 0)
            } else {
                let waitMilliseconds = (Self.unitsPerRequest - bucket.units + rate - 1) / rate
                decision = Decision(allowed: false, retryAfterSeconds: Int((waitMilliseconds + 999) / 1000))
            }
            if buckets[key] == nil, buckets.count >= maximumKeys {
                buckets = buckets.filter { $0.value.units(at: now, rate: rate, capacity: capacity) < capacity }
                if buckets.count >= maximumKeys { buckets.removeAll() }
            }
            buckets[key] = bucket
            return decision
        }
    }

    /// Keys currently remembered (for tests).
    public var keyCount: Int { buckets.withLock { $0.count } }

    /// The client part of a peer address as `HTTPRequest.remoteAddress` gives it
    /// ("1.2.3.4:5678", "[::1]:5678"): the address without its port.
    public static func clientKey(_ remoteAddress: String) -> String {
        if remoteAddress.hasPrefix("["), let close = remoteAddress.firstIndex(of: "]") {
            return String(remoteAddress[remoteAddress.index(after: remoteAddress.startIndex)..<close])
        }
        guard let colon = remoteAddress.lastIndex(of: ":") else { return remoteAddress }
        return String(remoteAddress[..<colon])
    }
}
