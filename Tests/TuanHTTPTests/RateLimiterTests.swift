import Testing
@testable import TuanHTTP

@Suite struct RateLimiterTests {
    @Test func spendsTheBurstThenRefillsAtTheRate() {
        let limiter = RateLimiter(perMinute: 60, burst: 3)  // one a second
        for _ in 0..<3 { #expect(limiter.check("a", atMilliseconds: 0).allowed) }
        #expect(limiter.check("a", atMilliseconds: 0) == .init(allowed: false, retryAfterSeconds: 1))
        #expect(limiter.check("b", atMilliseconds: 0).allowed, "keys are independent")
        #expect(!limiter.check("a", atMilliseconds: 999).allowed)
        #expect(limiter.check("a", atMilliseconds: 1_000).allowed)
        #expect(!limiter.check("a", atMilliseconds: 1_000).allowed)
        // A long pause refills only up to the burst.
        for _ in 0..<3 { #expect(limiter.check("a", atMilliseconds: 3_600_000).allowed) }
        #expect(!limiter.check("a", atMilliseconds: 3_600_000).allowed)
    }

    @Test func retryAfterIsTheWaitForOneRequest() {
        let limiter = RateLimiter(perMinute: 2, burst: 1)  // one per 30 s
        #expect(limiter.check("a", atMilliseconds: 0).allowed)
        #expect(limiter.check("a", atMilliseconds: 0).retryAfterSeconds == 30)
        #expect(limiter.check("a", atMilliseconds: 20_500).retryAfterSeconds == 10)
        #expect(limiter.check("a", atMilliseconds: 30_000).allowed)
    }

    /// Properties: memory stays within the bound whatever the keys, and a key is allowed no
    /// more than the burst plus what the rate gave back since the start.
    @Test func neverAllowsMoreThanTheBudgetAndStaysBounded() {
        var random = SplitMix(seed: 7)
        let limiter = RateLimiter(perMinute: 120, burst: 5, maximumKeys: 50)
        var allowed: [String: Int] = [:]
        var now: Int64 = 0
        for _ in 0..<20_000 {
            now += Int64(random.next() % 200)
            let key = "k\(random.next() % 80)"
            if limiter.check(key, atMilliseconds: now).allowed { allowed[key, default: 0] += 1 }
            #expect(limiter.keyCount <= 50)
        }
        // One key on its own (never evicted): allowed at most burst + rate × time, and, asked
        // more often than the rate, at least rate × time less one.
        let strict = RateLimiter(perMinute: 120, burst: 5)
        now = 0
        var strictAllowed = 0
        for _ in 0..<5_000 {
            now += Int64(random.next() % 200)
            if strict.check("only", atMilliseconds: now).allowed { strictAllowed += 1 }
        }
        #expect(strictAllowed <= 5 + Int(now * 120 / 60_000))
        #expect(strictAllowed >= Int(now * 120 / 60_000) - 1)
    }

    @Test func clientKeyDropsThePort() {
        #expect(RateLimiter.clientKey("10.1.2.3:5678") == "10.1.2.3")
        #expect(RateLimiter.clientKey("[::1]:5678") == "::1")
        #expect(RateLimiter.clientKey("[2001:db8::7]:80") == "2001:db8::7")
        #expect(RateLimiter.clientKey("") == "")
    }
}
