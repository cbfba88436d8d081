import TuanApp
import TuanDomain
import TuanStore

/// Storefront webhooks: per endpoint a cursor over the event stream (`scanned_seq`), and per
/// (endpoint, campaign) a queue sent head first. Only the head of a stream is ever in flight,
/// so each campaign's events arrive in order, and one campaign's failing event holds back
/// that campaign alone. Queues are filled by the worker in bounded batches, never by the
/// write that made the event: a pledge costs one small event row whatever the endpoints.
extension SQLiteRepositories {
    static let endpointColumns = """
        SELECT id, url, event_types, secret, previous_secret, previous_secret_until, disabled, description, scanned_seq,
               delivered_count, created_at FROM webhook_endpoints
        """

    static func endpoint(_ row: Row) throws -> WebhookEndpoint {
        let names = try JSONParser.parse(Array(row.string(2).utf8))
        guard case .array(let items) = names else { throw StoreInvariantError("endpoint \(row.int(0)) has unreadable event types") }
        let types = Set(items.compactMap { if case .string(let name) = $0 { EventType(rawValue: name) } else { nil } })
        return WebhookEndpoint(id: row.int(0), url: row.string(1), types: types, secret: row.string(3),
                               previousSecret: row.optionalString(4), previousSecretUntil: row.optionalInt(5).map(Timestamp.init),
                               disabled: row.bool(6), description: row.optionalString(7), scannedSeq: row.int(8),
                               deliveredCount: row.int(9), createdAt: Timestamp(seconds: row.int(10)))
    }

    private static func typeList(_ types: Set<EventType>) -> String { jsonStrings(types.map(\.rawValue).sorted()) }

    public func insertWebhookEndpoint(_ endpoint: WebhookEndpoint) throws -> WebhookEndpoint {
        var saved = endpoint
        saved.id = try connection.insert("""
            INSERT INTO webhook_endpoints(url, event_types, secret, disabled, description, scanned_seq, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.text(endpoint.url), .text(Self.typeList(endpoint.types)), .text(endpoint.secret), .integer(endpoint.disabled ? 1 : 0),
                  SQLiteValue(endpoint.description), .integer(endpoint.scannedSeq), .integer(endpoint.createdAt.seconds)])
        return saved
    }

    public func webhookEndpoint(id: Int64) throws -> WebhookEndpoint? {
        try connection.queryOne(Self.endpointColumns + " WHERE id = ?", [.integer(id)], Self.endpoint)
    }

    public func webhookEndpoints() throws -> [WebhookEndpoint] {
        try connection.query(Self.endpointColumns + " ORDER BY id", [], Self.endpoint)
    }

    public func saveWebhookEndpoint(_ endpoint: WebhookEndpoint) throws {
        try connection.run("""
            UPDATE webhook_endpoints SET url = ?, event_types = ?, secret = ?, previous_secret = ?, previous_secret_until = ?,
                   disabled = ?, description = ? WHERE id = ?
            """, [.text(endpoint.url), .text(Self.typeList(endpoint.types)), .text(endpoint.secret), SQLiteValue(endpoint.previousSecret),
                  SQLiteValue(endpoint.previousSecretUntil?.seconds), .integer(endpoint.disabled ? 1 : 0), SQLiteValue(endpoint.description),
                  .integer(endpoint.id)])
    }

    public func webhookBacklog(endpointID: Int64) throws -> (queued: Int64, dead: Int64) {
        (try connection.scalarInt("SELECT queued_count FROM webhook_endpoints WHERE id = ?", [.integer(endpointID)]) ?? 0,
         try connection.scalarInt("SELECT COUNT(*) FROM webhook_dead_letters WHERE endpoint_id = ?", [.integer(endpointID)]) ?? 0)
    }

    public func deadLetters(endpointID: Int64, limit: Int) throws -> [DeadLetter] {
        try connection.query("""
            SELECT seq, stream, attempts, last_error, died_at FROM webhook_dead_letters WHERE endpoint_id = ? ORDER BY seq LIMIT ?
            """, [.integer(endpointID), .integer(Int64(limit))]) {
            DeadLetter(seq: $0.int(0), stream: $0.int(1), attempts: $0.int(2), lastError: $0.optionalString(3),
                       diedAt: Timestamp(seconds: $0.int(4)))
        }
    }

    public func requeueDeadLetters(endpointID: Int64, at now: Timestamp) throws -> Int {
        let id = SQLiteValue.integer(endpointID)
        let queued = try connection.run("""
            INSERT OR IGNORE INTO webhook_queue(endpoint_id, stream, seq) SELECT endpoint_id, stream, seq FROM webhook_dead_letters
            WHERE endpoint_id = ?
            """, [id])
        try addQueued(Int64(queued), endpointID: endpointID)
        try connection.run("""
            INSERT INTO webhook_streams(endpoint_id, stream, next_attempt_at)
            SELECT DISTINCT endpoint_id, stream, ?2 FROM webhook_dead_letters WHERE endpoint_id = ?1
            ON CONFLICT(endpoint_id, stream) DO UPDATE SET next_attempt_at = MIN(next_attempt_at, excluded.next_attempt_at), attempts = 0
            """, [id, .integer(now.seconds)])
        return try connection.run("DELETE FROM webhook_dead_letters WHERE endpoint_id = ?", [id])
    }

    /// Keeps the endpoint's count of queued events in step with its queue.
    private func addQueued(_ change: Int64, endpointID: Int64) throws {
        try connection.run("UPDATE webhook_endpoints SET queued_count = queued_count + ? WHERE id = ?", [.integer(change), .integer(endpointID)])
    }

    /// Events queued per claim and endpoint: bounds the claim's transaction on the writer.
    static let queueBatch: Int64 = 5_000
    /// Events an endpoint's queue holds at most: while it lags (a flash sale's million events
    /// to one storefront), the worker stops queueing for it instead of keeping the writer busy
    /// with rows that will wait; its cursor holds the place.
    static let queueLimit: Int64 = 20_000

    /// Queues the events written since each enabled endpoint's cursor: whole rows of them (a
    /// row holds up to a close chunk's events), about `queueBatch` events at most.
    private func queueNewEvents(at now: Timestamp) throws {
        let latest = try latestEventSeq()
        let rowsPerScan = 256
        for (id, scanned, types, alreadyQueued) in try connection.query(
            "SELECT id, scanned_seq, event_types, queued_count FROM webhook_endpoints WHERE disabled = 0 AND scanned_seq < ? AND queued_count < ?",
            [.integer(latest), .integer(Self.queueLimit)], { ($0.int(0), $0.int(1), $0.string(2), $0.int(3)) }) {
            let room = min(Self.queueBatch, Self.queueLimit - alreadyQueued)
            let rows = try connection.query(EventRow.columns + """
                 WHERE seq > ?1 AND seq <= ?2 AND type IN (SELECT value FROM json_each(?3)) ORDER BY seq LIMIT ?4
                """, [.integer(scanned), .integer(latest), .text(types), .integer(Int64(rowsPerScan))], EventRow.init)
            // `queued` counts what the rows hold (for the room left), `inserted` what was new.
            var queued: Int64 = 0, inserted = 0, upTo = rows.count < rowsPerScan ? latest : scanned
            for (index, row) in rows.enumerated() {
                if queued > 0 && queued + row.count > room {
                    upTo = rows[index - 1].lastSeq
                    break
                }
                // An endpoint may start inside a row (`after_seq`): only the events after it.
                let first = max(row.firstSeq, scanned + 1), stream = row.campaignID ?? 0
                inserted += try connection.run("""
                    WITH RECURSIVE seqs(seq) AS (SELECT ?3 UNION ALL SELECT seq + 1 FROM seqs WHERE seq < ?4)
                    INSERT OR IGNORE INTO webhook_queue(endpoint_id, stream, seq) SELECT ?1, ?2, seq FROM seqs
                    """, [.integer(id), .integer(stream), .integer(first), .integer(row.lastSeq)])
                try connection.run("INSERT OR IGNORE INTO webhook_streams(endpoint_id, stream, next_attempt_at) VALUES (?, ?, ?)",
                                   [.integer(id), .integer(stream), .integer(now.seconds)])
                queued += row.lastSeq - first + 1
                if rows.count == rowsPerScan && index == rows.count - 1 { upTo = row.lastSeq }
            }
            try connection.run("UPDATE webhook_endpoints SET scanned_seq = ?, queued_count = queued_count + ? WHERE id = ?",
                               [.integer(upTo), .integer(Int64(inserted)), .integer(id)])
        }
    }

    public func claimDueEventDelivery(at now: Timestamp, leaseSeconds: Int64) throws -> EventDelivery? {
        try queueNewEvents(at: now)
        let time = SQLiteValue.integer(now.seconds)
        // A stream whose queue is empty (a dead letter moved its last event away) is dropped and
        // the next looked at; a few at most, then the next claim carries on.
        for _ in 0..<8 {
            guard let (endpointID, stream, attempts) = try connection.queryOne("""
                SELECT s.endpoint_id, s.stream, s.attempts FROM webhook_streams s JOIN webhook_endpoints e ON e.id = s.endpoint_id
                WHERE e.disabled = 0 AND s.next_attempt_at <= ?1 AND (s.locked_until IS NULL OR s.locked_until <= ?1)
                ORDER BY s.next_attempt_at LIMIT 1
                """, [time], { ($0.int(0), $0.int(1), $0.int(2)) }) else { return nil }
            let key: [SQLiteValue] = [.integer(endpointID), .integer(stream)]
            guard let seq = try connection.scalarInt("SELECT MIN(seq) FROM webhook_queue WHERE endpoint_id = ? AND stream = ?", key) else {
                try connection.run("DELETE FROM webhook_streams WHERE endpoint_id = ? AND stream = ?", key)
                continue
            }
            try connection.run("UPDATE webhook_streams SET locked_until = ? WHERE endpoint_id = ? AND stream = ?",
                               [.integer(now.seconds + leaseSeconds)] + key)
            guard let endpoint = try webhookEndpoint(id: endpointID) else { throw StoreInvariantError("stream of a missing endpoint") }
            let event = try event(seq: seq)
            let body = try event.flatMap { try $0.body(rows: eventRows(for: [$0])) }
            return EventDelivery(endpointID: endpointID, stream: stream, seq: seq, webhookID: StoredEvent.id(seq: seq), body: body,
                                 attempts: attempts, url: endpoint.url, secrets: endpoint.signingSecrets(at: now))
        }
        return nil
    }

    public func recordEventDelivery(_ delivery: EventDelivery, attempt: DeliveryAttempt?, decision: DeliveryDecision,
                                    at now: Timestamp) throws {
        let key: [SQLiteValue] = [.integer(delivery.endpointID), .integer(delivery.stream)]
        if let attempt, attempt.outcome != .delivered {
            try connection.run("""
                INSERT INTO webhook_failures(endpoint_id, seq, attempt, started_at, status_code, latency_ms, error, outcome)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(delivery.endpointID), .integer(delivery.seq), .integer(attempt.attempt), .integer(attempt.startedAt.seconds),
                      SQLiteValue(attempt.statusCode), .integer(attempt.latencyMilliseconds), SQLiteValue(attempt.error),
                      .text(attempt.outcome.rawValue)])
        }
        let error = attempt.flatMap { $0.error ?? $0.statusCode.map { "HTTP \($0)" } }
        switch decision {
        case .delivered, .dead:
            if case .dead = decision {
                try connection.run("""
                    INSERT OR REPLACE INTO webhook_dead_letters(endpoint_id, seq, stream, attempts, last_error, died_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, [.integer(delivery.endpointID), .integer(delivery.seq), .integer(delivery.stream),
                          .integer(delivery.attempts + (attempt == nil ? 0 : 1)), SQLiteValue(error), .integer(now.seconds)])
            } else {
                try connection.run("UPDATE webhook_endpoints SET delivered_count = delivered_count + 1 WHERE id = ?",
                                   [.integer(delivery.endpointID)])
            }
            let removed = try connection.run("DELETE FROM webhook_queue WHERE endpoint_id = ? AND stream = ? AND seq = ?",
                                             key + [.integer(delivery.seq)])
            try addQueued(-Int64(removed), endpointID: delivery.endpointID)
            // The next event of the stream goes at once, from a fresh retry schedule.
            try connection.run("""
                UPDATE webhook_streams SET attempts = 0, next_attempt_at = ?3, locked_until = NULL, last_error = NULL
                WHERE endpoint_id = ?1 AND stream = ?2
                """, key + [.integer(now.seconds)])
        case .retry(let at):
            try connection.run("""
                UPDATE webhook_streams SET attempts = attempts + 1, next_attempt_at = ?3, locked_until = NULL, last_error = ?4
                WHERE endpoint_id = ?1 AND stream = ?2
                """, key + [.integer(at.seconds), SQLiteValue(error)])
        case .disableEndpoint:
            try connection.run("UPDATE webhook_endpoints SET disabled = 1 WHERE id = ?", [.integer(delivery.endpointID)])
            try connection.run("""
                UPDATE webhook_streams SET attempts = attempts + 1, locked_until = NULL,
                       last_error = 'the endpoint answered 410 Gone and was disabled' WHERE endpoint_id = ?1 AND stream = ?2
                """, key)
        case .hold(let reason):
            try connection.run("UPDATE webhook_streams SET locked_until = NULL, last_error = ?3 WHERE endpoint_id = ?1 AND stream = ?2",
                               key + [.text(reason)])
        }
    }

    public func nextEventDeliveryDue() throws -> Timestamp? {
        let latest = try latestEventSeq()
        if let behind = try connection.scalarInt("""
            SELECT MIN(created_at) FROM webhook_endpoints WHERE disabled = 0 AND scanned_seq < ? AND queued_count < ?
            """, [.integer(latest), .integer(Self.queueLimit)]) {
            return Timestamp(seconds: behind)   // at once: the past
        }
        return try connection.scalarInt("""
            SELECT MIN(MAX(s.next_attempt_at, COALESCE(s.locked_until, 0))) FROM webhook_streams s
            JOIN webhook_endpoints e ON e.id = s.endpoint_id WHERE e.disabled = 0
            """).map(Timestamp.init(seconds:))
    }
}
