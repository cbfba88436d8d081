import Foundation
import Synchronization
import TuanDomain
import TuanApp
import TuanStore

/// Pushes outbox messages to suppliers. Runs its own threads (curl_easy_perform blocks, so it
/// must never run on the Swift concurrency pool); each thread claims one due message at a
/// time under the store's write lock, sends it, and records the attempt and the next step in
/// one transaction. A crash between sending and recording means the message is sent again
/// after its lease expires, under the same webhook id: at-least-once delivery, made
/// exactly-once by the receiver's dedupe. Once a 2xx is recorded the message is never sent again.
public final class DeliveryWorker: Sendable {
    public struct Configuration: Sendable {
        public var threads: Int
        public var policy: RetryPolicy
        /// The longest an idle thread sleeps. It sleeps until the next message falls due, and
        /// `wake()` (a write in this process queued one) cuts that short; this bound is for
        /// messages queued by another process (`tuan po redeliver` beside a running server).
        public var maximumIdle: Double
        /// A claimed message is left alone by other workers for this long; longer than any
        /// attempt can take, so only a crash lets it lapse.
        public var leaseSeconds: Int64
        public var connectTimeout: Double
        public var totalTimeout: Double
        /// Loopback and private endpoints are refused at connect time unless this is set
        /// (`tuan serve --allow-private-endpoints`: tests, drills, a private network).
        public var allowPrivateAddresses: Bool

        public init(threads: Int = 4, policy: RetryPolicy = .standard, maximumIdle: Double = 5, leaseSeconds: Int64 = 120,
                    connectTimeout: Double = 5, totalTimeout: Double = 30, allowPrivateAddresses: Bool = false) {
            self.allowPrivateAddresses = allowPrivateAddresses
            self.threads = threads
            self.policy = policy
            self.maximumIdle = maximumIdle
            self.leaseSeconds = leaseSeconds
            self.connectTimeout = connectTimeout
            self.totalTimeout = totalTimeout
        }
    }

    /// Counters for /metrics.
    public struct Statistics: Sendable, Equatable {
        public var attempts: Int64 = 0
        public var delivered: Int64 = 0
        public var failedAttempts: Int64 = 0
        public var deadLettered: Int64 = 0
    }

    private struct State {
        var running = false
        var stopping = false
        var wakeups = 0
        var threads: [Thread] = []
        var liveThreads = 0
    }

    private let app: TuanApplication
    private let configuration: Configuration
    private let clock: @Sendable () -> Timestamp
    private let log: @Sendable (String) -> Void
    private let state = Mutex(State())
    private let stats = Mutex(Statistics())
    private let condition = NSCondition()

    public init(app: TuanApplication, configuration: Configuration = Configuration(),
                clock: @escaping @Sendable () -> Timestamp, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.app = app
        self.configuration = configuration
        self.clock = clock
        self.log = log
    }

    public var statistics: Statistics { stats.withLock { $0 } }

    public func start() {
        let count = state.withLock { state -> Int in
            guard !state.running else { return 0 }
            state.running = true
            state.liveThreads = configuration.threads
            return configuration.threads
        }
        for index in 0..<count {
            let thread = Thread { [self] in
                nameCurrentThread("tuan-delivery-\(index)")
                self.run()
            }
            thread.start()
        }
    }

    /// New work may be due (an order was just created or redelivered).
    public func wake() {
        condition.lock()
        state.withLock { $0.wakeups += 1 }
        condition.broadcast()
        condition.unlock()
    }

    /// Lets in-flight attempts finish (bounded by the total timeout), then returns.
    public func stop() {
        condition.lock()
        state.withLock { $0.stopping = true }
        condition.broadcast()
        condition.unlock()
        while state.withLock({ $0.liveThreads > 0 }) { usleep(5_000) }
    }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    private func run() {
        let client = CurlClient(connectTimeout: configuration.connectTimeout, totalTimeout: configuration.totalTimeout,
                                allowPrivateAddresses: configuration.allowPrivateAddresses)
        var generator = SystemRandomNumberGenerator()
        defer { state.withLock { $0.liveThreads -= 1 } }
        while !isStopping {
            let seen = state.withLock { $0.wakeups }
            let message: OutboxMessage?
            do {
                let now = clock(), lease = configuration.leaseSeconds
                message = try app.claimDueDeliveries(at: now, limit: 1, leaseSeconds: lease).runBlocking().first
            } catch {
                log("delivery: could not claim work: \(error)")
                message = nil
            }
            if let message {
                deliver(message, with: client, generator: &generator)
                continue
            }
            let event: EventDelivery?
            do {
                event = try app.claimDueEventDelivery(at: clock(), leaseSeconds: configuration.leaseSeconds).runBlocking()
            } catch {
                log("delivery: could not claim an event: \(error)")
                event = nil
            }
            if let event {
                deliver(event, with: client, generator: &generator)
                continue
            }
            let idle = idleSeconds()
            condition.lock()
            if !isStopping, state.withLock({ $0.wakeups }) == seen {
                _ = condition.wait(until: Date(timeIntervalSinceNow: idle))
            }
            condition.unlock()
        }
    }

    /// How long to sleep: until the next pending message falls due (a retry's time, or a
    /// lease running out), at most `maximumIdle`; briefly if that cannot be read.
    private func idleSeconds() -> Double {
        let dues = [try? app.nextDeliveryDue().runBlocking(), try? app.nextEventDeliveryDue().runBlocking()].compactMap { $0 }
        guard let next = dues.min() else { return configuration.maximumIdle }
        let until = Double(next.seconds - clock().seconds)
        return min(configuration.maximumIdle, max(0.05, until))
    }

    private func deliver(_ message: OutboxMessage, with client: CurlClient, generator: inout SystemRandomNumberGenerator) {
        guard let url = message.endpointURL, !message.endpointDisabled else {
            let reason = message.endpointURL == nil ? "the supplier has no endpoint_url: orders wait to be fetched from the API"
                                                    : "the supplier's endpoint is disabled"
            record(message, attempt: nil, decision: .hold(reason: reason))
            return
        }
        switch send(Array(message.payload.utf8), id: message.webhookID, to: url, secrets: [message.webhookSecret],
                    attempt: message.attempts + 1, with: client, generator: &generator) {
        case .unsigned(let error):
            record(message, attempt: nil, decision: .hold(reason: "the supplier's webhook secret is unusable: \(error)"))
        case .attempted(let attempt, let decision):
            record(message, attempt: attempt, decision: decision)
        }
    }

    /// A storefront's event: the head of its stream, sent like an order.
    private func deliver(_ event: EventDelivery, with client: CurlClient, generator: inout SystemRandomNumberGenerator) {
        guard let body = event.body else {
            // Its resource's row is gone: nothing can be sent, and the stream must not wait on it.
            recordEvent(event, attempt: nil, decision: .dead)
            return
        }
        switch send(body, id: event.webhookID, to: event.url, secrets: event.secrets, attempt: event.attempts + 1,
                    with: client, generator: &generator) {
        case .unsigned(let error):
            recordEvent(event, attempt: nil, decision: .hold(reason: "the endpoint's webhook secret is unusable: \(error)"))
        case .attempted(let attempt, let decision):
            recordEvent(event, attempt: attempt, decision: decision)
        }
    }

    private enum SendResult {
        case unsigned(any Error)
        case attempted(DeliveryAttempt, DeliveryDecision)
    }

    /// One signed POST (every secret signs: during a rotation receivers accept either), and
    /// what the retry policy makes of its answer.
    private func send(_ body: [UInt8], id: String, to url: String, secrets: [String], attempt number: Int64,
                      with client: CurlClient, generator: inout SystemRandomNumberGenerator) -> SendResult {
        let started = clock()
        let signature: String
        do {
            signature = try secrets.map { try StandardWebhooks.sign(id: id, timestamp: started.seconds, body: body, secret: $0) }
                .joined(separator: " ")
        } catch {
            return .unsigned(error)
        }
        let response = client.post(url: url, headers: [
            ("Content-Type", "application/json"),
            (StandardWebhooks.Header.id, id),
            (StandardWebhooks.Header.timestamp, String(started.seconds)),
            (StandardWebhooks.Header.signature, signature),
            ("Idempotency-Key", id),
        ], body: body)
        let result = AttemptResult(statusCode: response.statusCode, retryAfter: response.headers["retry-after"], error: response.error)
        let decision = configuration.policy.decision(afterAttempt: number, result: result, now: clock(), using: &generator)
        let outcome: DeliveryAttempt.Outcome = switch decision {
        case .delivered: .delivered
        case .retry, .hold: .retry
        case .dead: .dead
        case .disableEndpoint: .disabled
        }
        var error = response.error
        // The status only, never the peer's body: whatever an endpoint answers must not be
        // stored and shown back to operators (it may be an internal service's content).
        if error == nil, !result.isSuccess, let status = response.statusCode { error = "HTTP \(status)" }
        let attempt = DeliveryAttempt(attempt: number, startedAt: started, url: url, statusCode: response.statusCode.map(Int64.init),
                                      latencyMilliseconds: response.latencyMilliseconds, error: error, outcome: outcome)
        stats.withLock { stats in
            stats.attempts += 1
            if case .delivered = decision { stats.delivered += 1 } else { stats.failedAttempts += 1 }
            if case .dead = decision { stats.deadLettered += 1 }
        }
        return .attempted(attempt, decision)
    }

    private func recordEvent(_ event: EventDelivery, attempt: DeliveryAttempt?, decision: DeliveryDecision) {
        do {
            try app.recordEventDelivery(event, attempt: attempt, decision: decision, at: clock()).runBlocking()
        } catch {
            log("delivery: could not record attempt for event \(event.webhookID) to endpoint \(event.endpointID): \(error)")
        }
    }

    private func record(_ message: OutboxMessage, attempt: DeliveryAttempt?, decision: DeliveryDecision) {
        let now = clock()
        do {
            try app.recordDelivery(outboxID: message.id, attempt: attempt, decision: decision, at: now).runBlocking()
        } catch {
            // The lease runs out and the message is tried again: never lost, at worst sent twice
            // under the same webhook id.
            log("delivery: could not record attempt for outbox \(message.id): \(error)")
        }
    }
}
