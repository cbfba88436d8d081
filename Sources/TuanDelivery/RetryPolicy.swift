import Foundation
import TuanDomain
import TuanStore

/// What one attempt produced, as the retry policy needs it.
public struct AttemptResult: Sendable, Equatable {
    /// nil when no HTTP answer arrived (refused, timed out, reset).
    public var statusCode: Int?
    /// The raw `Retry-After` header, if any.
    public var retryAfter: String?
    public var error: String?

    public init(statusCode: Int?, retryAfter: String? = nil, error: String? = nil) {
        self.statusCode = statusCode
        self.retryAfter = retryAfter
        self.error = error
    }

    public var isSuccess: Bool { statusCode.map { (200..<300).contains($0) } ?? false }
}

/// When to try again. The default schedule spreads eight attempts over about 28 hours
/// (immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), each delay jittered so that a
/// supplier coming back from an outage is not hit by every queued order in the same second.
/// `Retry-After` can only lengthen a delay (never shorten it), up to `maximumRetryAfter`.
public struct RetryPolicy: Sendable, Equatable {
    /// Seconds to wait before attempt 2, 3, …; the number of attempts is `delays.count + 1`.
    public var delays: [Int64]
    /// Each delay is multiplied by a random factor in `1 ± jitter`.
    public var jitter: Double
    public var maximumRetryAfter: Int64

    public init(delays: [Int64], jitter: Double = 0.2, maximumRetryAfter: Int64 = 86_400) {
        self.delays = delays
        self.jitter = jitter
        self.maximumRetryAfter = maximumRetryAfter
    }

    public static let standard = RetryPolicy(delays: [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000])

    public var maximumAttempts: Int64 { Int64(delays.count) + 1 }

    /// The decision after attempt number `attempt` (1-based) ended with `result` at `now`.
    public func decision(afterAttempt attempt: Int64, result: AttemptResult, now: Timestamp,
                         using generator: inout some RandomNumberGenerator) -> DeliveryDecision {
        if result.isSuccess { return .delivered }
        if result.statusCode == 410 { return .disableEndpoint }
        guard attempt < maximumAttempts, attempt >= 1 else { return .dead }
        let base = delays[Int(attempt) - 1]
        var delay = base
        if base > 0, jitter > 0 {
            let factor = Double.random(in: (1 - jitter)...(1 + jitter), using: &generator)
            delay = max(1, Int64((Double(base) * factor).rounded()))
        }
        if let header = result.retryAfter, let asked = Self.retryAfterSeconds(header, now: now) {
            delay = max(delay, min(asked, maximumRetryAfter))
        }
        return .retry(at: now.adding(seconds: delay))
    }

    /// `Retry-After` is either delta-seconds or an IMF-fixdate (RFC 9110 §10.2.3).
    public static func retryAfterSeconds(_ value: String, now: Timestamp) -> Int64? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return trimmed.utf8.count > 10 ? Int64(Int32.max) : Int64(trimmed)
        }
        guard let date = imfFixdate(trimmed) else { return nil }
        return max(0, date.seconds - now.seconds)
    }

    /// "Sun, 06 Nov 1994 08:49:37 GMT"
    static func imfFixdate(_ text: String) -> Timestamp? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3]) else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let monthIndex = months.firstIndex(of: String(parts[2])) else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let h = Int(clock[0]), let m = Int(clock[1]), let s = Int(clock[2]) else { return nil }
        let iso = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, monthIndex + 1, day, h, m, s)
        return Timestamp(rfc3339: iso)
    }
}
