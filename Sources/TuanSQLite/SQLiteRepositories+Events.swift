import TuanApp
import TuanDomain
import TuanStore

/// The event stream: written in the transaction of the change it records, read in `seq` order.
extension SQLiteRepositories {
    /// Writes one event; `subjectID` replaces a zero subject (a row this changeset inserted).
    func record(_ event: DomainEvent, subjectID: Int64? = nil, at now: Timestamp) throws {
        try connection.run("INSERT INTO events(type, campaign_id, subject_id, occurred_at, data) VALUES (?, ?, ?, ?, ?)",
                           [.text(event.type.rawValue), SQLiteValue(event.campaignID), .integer(subjectID ?? event.subjectID),
                            .integer(now.seconds), SQLiteValue(event.data)])
    }

    public func recordEvents(_ events: [DomainEvent], at now: Timestamp) throws {
        for event in events { try record(event, at: now) }
    }

    /// One event per row `select` yields (`SELECT campaign_id, id FROM …`), set-based: how a
    /// close writes its pledges' and refunds' events.
    @discardableResult
    func recordEvents(_ type: EventType, select: String, _ values: [SQLiteValue], at now: Timestamp) throws -> Int {
        precondition(!type.resource.isStored, "set-based events restore their resource from its row")
        return try connection.run("""
            INSERT INTO events(type, campaign_id, subject_id, occurred_at)
            SELECT '\(type.rawValue)', ev.campaign_id, ev.id, \(now.seconds) FROM (\(select)) ev
            """, values)
    }

    public func events(after seq: Int64, types: Set<EventType>?, campaignID: Int64?, limit: Int) throws -> [StoredEvent] {
        let typeList: SQLiteValue = types.map { .text(Self.jsonStrings($0.map(\.rawValue).sorted())) } ?? .null
        return try connection.query("""
            SELECT seq, type, campaign_id, subject_id, occurred_at, data FROM events
            WHERE seq > ?1 AND (?2 IS NULL OR type IN (SELECT value FROM json_each(?2))) AND (?3 IS NULL OR campaign_id = ?3)
            ORDER BY seq LIMIT ?4
            """, [.integer(seq), typeList, SQLiteValue(campaignID), .integer(Int64(limit))], Self.storedEvent)
    }

    public func event(seq: Int64) throws -> StoredEvent? {
        try connection.queryOne("SELECT seq, type, campaign_id, subject_id, occurred_at, data FROM events WHERE seq = ?",
                                [.integer(seq)], Self.storedEvent)
    }

    public func latestEventSeq() throws -> Int64 {
        try connection.scalarInt("SELECT COALESCE(MAX(seq), 0) FROM events") ?? 0
    }

    /// The pledges, refunds and settlement times a page of events restores its resources from.
    public func eventRows(for events: [StoredEvent]) throws -> StoredEvent.Rows {
        var pledgeIDs: [Int64] = [], refundIDs: [Int64] = [], reminded = Set<Int64>()
        for event in events {
            switch event.type.resource {
            case .stored: break
            case .pledge: pledgeIDs.append(event.subjectID)
            case .refund: refundIDs.append(event.subjectID)
            }
            if event.type == .pledgeBalanceDue, let campaign = event.campaignID { reminded.insert(campaign) }
        }
        var rows = StoredEvent.Rows(pledges: try pledges(ids: pledgeIDs))
        if !refundIDs.isEmpty {
            for refund in try connection.query(Self.refundColumns + " WHERE id IN (SELECT value FROM json_each(?))",
                                               [.text(Self.jsonIDs(refundIDs))], Self.refund) {
                rows.refunds[refund.id] = refund
            }
        }
        for campaign in reminded {
            if let at = try connection.scalarInt("SELECT closed_at FROM campaigns WHERE id = ?", [.integer(campaign)]) {
                rows.settledAt[campaign] = Timestamp(seconds: at)
            }
        }
        return rows
    }

    static func storedEvent(_ row: Row) throws -> StoredEvent {
        guard let type = EventType(rawValue: row.string(1)) else { throw StoreInvariantError("event \(row.int(0)) has an unknown type") }
        return StoredEvent(seq: row.int(0), type: type, campaignID: row.optionalInt(2), subjectID: row.int(3),
                           occurredAt: Timestamp(seconds: row.int(4)), data: row.optionalString(5))
    }

    /// Event type names are our own ([a-z_.]): no escaping needed, asserted all the same.
    static func jsonStrings(_ names: [String]) -> String {
        precondition(names.allSatisfy { $0.utf8.allSatisfy { $0 == 0x2E || $0 == 0x5F || (0x61...0x7A).contains($0) } })
        return "[" + names.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }
}
