import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    /// Writes the outbox message for a new order; its payload is fixed here, once.
    func enqueueDelivery(of order: PurchaseOrder) throws {
        try connection.run("""
            INSERT INTO outbox(purchase_order_id, supplier_id, webhook_id, event_type, payload, state, next_attempt_at, created_at)
            VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)
            """, [.integer(order.id), .integer(order.supplierID), .text(Self.newWebhookID()), .text(PurchaseOrder.createdEventType),
                  .text(order.webhookPayload.serialized), .integer(order.createdAt.seconds), .integer(order.createdAt.seconds)])
    }

    /// Claims up to `limit` messages whose time has come, leasing them until `now + leaseSeconds`
    /// so that another worker (or this one after a crash and restart) leaves them alone until the
    /// lease runs out. Runs on the writer, so two workers can never claim the same message.
    public func claimDueDeliveries(at now: Timestamp, limit: Int, leaseSeconds: Int64) throws -> [OutboxMessage] {
        let messages = try connection.query("""
            SELECT o.id, o.purchase_order_id, o.supplier_id, o.webhook_id, o.event_type, o.payload, o.attempts,
                   s.endpoint_url, s.endpoint_disabled, s.webhook_secret
            FROM outbox o JOIN suppliers s ON s.id = o.supplier_id
            WHERE o.state = 'pending' AND o.next_attempt_at <= ? AND (o.locked_until IS NULL OR o.locked_until <= ?)
            ORDER BY o.next_attempt_at, o.id LIMIT ?
            """, [.integer(now.seconds), .integer(now.seconds), .integer(Int64(limit))]) { row in
            OutboxMessage(id: row.int(0), purchaseOrderID: row.int(1), supplierID: row.int(2), webhookID: row.string(3),
                          eventType: row.string(4), payload: row.string(5), attempts: row.int(6), endpointURL: row.optionalString(7),
                          endpointDisabled: row.bool(8), webhookSecret: row.string(9))
        }
        for message in messages {
            try connection.run("UPDATE outbox SET locked_until = ? WHERE id = ?",
                               [.integer(now.seconds + leaseSeconds), .integer(message.id)])
        }
        return messages
    }

    /// The earliest time a pending message becomes due (for the worker's sleep).
    public func nextDeliveryDue() throws -> Timestamp? {
        try connection.scalarInt("""
            SELECT MIN(MAX(next_attempt_at, COALESCE(locked_until, 0))) FROM outbox WHERE state = 'pending'
            """).map(Timestamp.init(seconds:))
    }

    /// Records an attempt (if one was made) and moves the message on, in one transaction.
    public func recordDelivery(outboxID: Int64, attempt: DeliveryAttempt?, decision: DeliveryDecision, at now: Timestamp) throws {
        if let attempt {
            try connection.run("""
                INSERT INTO delivery_attempts(outbox_id, attempt, started_at, url, status_code, latency_ms, error, outcome)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(outboxID), .integer(attempt.attempt), .integer(attempt.startedAt.seconds), .text(attempt.url),
                      SQLiteValue(attempt.statusCode), .integer(attempt.latencyMilliseconds), SQLiteValue(attempt.error),
                      .text(attempt.outcome.rawValue)])
        }
        let attempts: SQLiteValue = attempt == nil ? .integer(0) : .integer(1)
        let error = attempt.flatMap { $0.error ?? $0.statusCode.map { "HTTP \($0)" } }
        switch decision {
        case .delivered:
            try connection.run("""
                UPDATE outbox SET state = 'delivered', attempts = attempts + ?, delivered_at = ?, locked_until = NULL, last_error = NULL
                WHERE id = ?
                """, [attempts, .integer(now.seconds), .integer(outboxID)])
        case .retry(let at):
            try connection.run("""
                UPDATE outbox SET attempts = attempts + ?, next_attempt_at = ?, locked_until = NULL, last_error = ? WHERE id = ?
                """, [attempts, .integer(at.seconds), SQLiteValue(error), .integer(outboxID)])
        case .dead:
            try connection.run("UPDATE outbox SET state = 'dead', attempts = attempts + ?, locked_until = NULL, last_error = ? WHERE id = ?",
                               [attempts, SQLiteValue(error), .integer(outboxID)])
        case .disableEndpoint:
            try connection.run("""
                UPDATE suppliers SET endpoint_disabled = 1 WHERE id = (SELECT supplier_id FROM outbox WHERE id = ?)
                """, [.integer(outboxID)])
            try connection.run("""
                UPDATE outbox SET state = 'held', attempts = attempts + ?, locked_until = NULL,
                       last_error = 'the endpoint answered 410 Gone and was disabled' WHERE id = ?
                """, [attempts, .integer(outboxID)])
        case .hold(let reason):
            try connection.run("UPDATE outbox SET state = 'held', locked_until = NULL, last_error = ? WHERE id = ?",
                               [.text(reason), .integer(outboxID)])
        }
    }

    /// Puts an order's message back in the queue, due now, from a fresh retry schedule; the
    /// webhook id stays the same.
    public func requeueDelivery(purchaseOrderID: Int64, at now: Timestamp) throws {
        try connection.run("""
            UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, locked_until = NULL WHERE purchase_order_id = ?
            """, [.integer(now.seconds), .integer(purchaseOrderID)])
    }

    public func purchaseOrderID(outboxID: Int64) throws -> Int64? {
        try connection.scalarInt("SELECT purchase_order_id FROM outbox WHERE id = ?", [.integer(outboxID)])
    }

    public func deliveryStatus(purchaseOrderID: Int64) throws -> DeliveryStatus? {
        guard let (outboxID, status) = try connection.queryOne("""
            SELECT id, state, webhook_id, attempts, next_attempt_at, delivered_at, last_error FROM outbox WHERE purchase_order_id = ?
            """, [.integer(purchaseOrderID)], { row in
                (row.int(0), DeliveryStatus(
                    state: DeliveryState(rawValue: row.string(1)) ?? .pending, webhookID: row.string(2), attemptCount: row.int(3),
                    nextAttemptAt: row.string(1) == "pending" ? Timestamp(seconds: row.int(4)) : nil,
                    deliveredAt: row.optionalInt(5).map(Timestamp.init(seconds:)), lastError: row.optionalString(6), attempts: []))
            }) else { return nil }
        var full = status
        full.attempts = try connection.query("""
            SELECT attempt, started_at, url, status_code, latency_ms, error, outcome FROM delivery_attempts
            WHERE outbox_id = ? ORDER BY id
            """, [.integer(outboxID)]) { row in
            DeliveryAttempt(attempt: row.int(0), startedAt: Timestamp(seconds: row.int(1)), url: row.string(2),
                            statusCode: row.optionalInt(3), latencyMilliseconds: row.int(4), error: row.optionalString(5),
                            outcome: DeliveryAttempt.Outcome(rawValue: row.string(6)) ?? .retry)
        }
        return full
    }

    /// `msg_` + 24 random base62 characters: unique across databases, so a supplier that
    /// dedupes by webhook id never confuses two installations' orders.
    static func newWebhookID() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        return "msg_" + String((0..<24).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}
