import Testing
import TuanDelivery
import TuanDomain
import TuanSQLite
import TuanStore

@Suite struct RetryPolicyTests {
    let now = Timestamp(seconds: 1_800_000_000)

    @Test func successIsDeliveredAndGoneDisables() {
        var generator = SeededGenerator(seed: 1)
        let policy = RetryPolicy.standard
        for status in [200, 201, 202, 204, 299] {
            #expect(policy.decision(afterAttempt: 1, result: AttemptResult(statusCode: status), now: now, using: &generator) == .delivered)
        }
        #expect(policy.decision(afterAttempt: 3, result: AttemptResult(statusCode: 410), now: now, using: &generator) == .disableEndpoint)
    }

    @Test func followsTheScheduleWithBoundedJitterThenDeadLetters() {
        var generator = SeededGenerator(seed: 7)
        let policy = RetryPolicy.standard
        #expect(policy.maximumAttempts == 8)
        for trial in 0..<200 {
            for attempt in Int64(1)...7 {
                let result = AttemptResult(statusCode: trial % 2 == 0 ? 500 : nil, error: trial % 2 == 0 ? nil : "timed out")
                guard case .retry(let at) = policy.decision(afterAttempt: attempt, result: result, now: now, using: &generator) else {
                    Issue.record("attempt \(attempt) should be retried")
                    return
                }
                let base = Double(policy.delays[Int(attempt) - 1])
                let delay = Double(at.seconds - now.seconds)
                #expect(delay >= (base * 0.8).rounded(.down) && delay <= (base * 1.2).rounded(.up), "attempt \(attempt): \(delay)s")
            }
            #expect(policy.decision(afterAttempt: 8, result: AttemptResult(statusCode: 503), now: now, using: &generator) == .dead)
        }
        // Redirects are failures, not followed.
        #expect(policy.decision(afterAttempt: 8, result: AttemptResult(statusCode: 301), now: now, using: &generator) == .dead)
    }

    @Test func retryAfterCanOnlyLengthenTheDelayAndIsCapped() {
        var generator = SeededGenerator(seed: 3)
        let policy = RetryPolicy(delays: [5, 5], jitter: 0, maximumRetryAfter: 3_600)
        #expect(policy.decision(afterAttempt: 1, result: AttemptResult(statusCode: 429, retryAfter: "120"), now: now, using: &generator)
                == .retry(at: now.adding(seconds: 120)))
        #expect(policy.decision(afterAttempt: 1, result: AttemptResult(statusCode: 503, retryAfter: "1"), now: now, using: &generator)
                == .retry(at: now.adding(seconds: 5)))
        #expect(policy.decision(afterAttempt: 1, result: AttemptResult(statusCode: 503, retryAfter: "999999999"), now: now,
                                using: &generator) == .retry(at: now.adding(seconds: 3_600)))
        let date = "Fri, 15 Jan 2027 08:00:00 GMT"   // 1_800_000_000 is 2027-01-15T08:00:00Z
        #expect(RetryPolicy.retryAfterSeconds(date, now: now) == 0)
        #expect(RetryPolicy.retryAfterSeconds("Fri, 15 Jan 2027 08:10:00 GMT", now: now) == 600)
        #expect(RetryPolicy.retryAfterSeconds("soon", now: now) == nil)
        #expect(policy.decision(afterAttempt: 1, result: AttemptResult(statusCode: 503, retryAfter: "soon"), now: now, using: &generator)
                == .retry(at: now.adding(seconds: 5)))
    }
}
