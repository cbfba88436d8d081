import TuanApp
import TuanDomain
import TuanStore

/// The event stream: written in the transaction of the change it records, read in `seq` order.
extension SQLiteRepositories {
    /// Writes one event; `subjectID` replaces a zero subject (a row this changeset inserted).
    /// Deferred events go first, so that a transaction's events keep the order of its changes.
    func record(_ event: DomainEvent, subjectID: Int64? = nil, at now: Timestamp) throws {
        try connection.flushDeferredAppends()
        try connection.run("INSERT INTO events(type, campaign_id, subject_id, occurred_at, data) VALUES (?, ?, ?, ?, ?)",
                           [.text(event.type.rawValue), SQLiteValue(event.campaignID), .integer(subjectID ?? event.subjectID),
                            .integer(now.seconds), SQLiteValue(event.data)])
    }

    /// Defers a restored-resource event to COMMIT (or to the next event written), where the
    /// transaction's alike events of one campaign and second become one row: a group-commit
    /// batch of sixty pledges writes one event row, not sixty.
    func deferEvent(_ event: DomainEvent, subjectID: Int64, at now: Timestamp) {
        precondition(!event.type.resource.isStored, "only events restored from their row are deferred")
        connection.deferAppend([.text(event.type.rawValue), SQLiteValue(event.campaignID), .integer(now.seconds)], id: subjectID,
                               writer: Self.writeDeferredEvents)
    }

    /// One row for a group of deferred events (type, campaign, time; their subjects in order).
    private static func writeDeferredEvents(_ connection: SQLiteConnection, _ key: [SQLiteValue], _ ids: [Int64]) throws {
        guard key.count == 3, case .text(let type) = key[0], case .integer(let at) = key[2], let first = ids.first else {
            preconditionFailure("a deferred event's key is (type, campaign, time)")
        }
        try insertEventRow(connection, type: type, campaignID: key[1], first: first, count: Int64(ids.count),
                           subjects: ids.count == 1 ? nil : EventRow.runs(of: ids), at: at)
    }

    /// One row of `count` alike events (`EventRow`): an ordinary row for one, else a row that
    /// ends `count - 1` past the last number given and lists its subjects as runs.
    private static func insertEventRow(_ connection: SQLiteConnection, type: String, campaignID: SQLiteValue, first: Int64,
                                       count: Int64, subjects: String?, at: Int64) throws {
        guard let subjects else {
            precondition(count == 1, "a row of several events lists their subjects")
            try connection.run("INSERT INTO events(type, campaign_id, subject_id, occurred_at) VALUES (?, ?, ?, ?)",
                               [.text(type), campaignID, .integer(first), .integer(at)])
            return
        }
        try connection.run("""
            INSERT INTO events(seq, count, type, campaign_id, subject_id, subjects, occurred_at)
            VALUES ((SELECT COALESCE(MAX(seq), 0) FROM events) + ?1, ?1, ?2, ?3, ?4, ?5, ?6)
            """, [.integer(count), .text(type), campaignID, .integer(first), .text(subjects), .integer(at)])
    }

    public func recordEvents(_ events: [DomainEvent], at now: Timestamp) throws {
        for event in events { try record(event, at: now) }
    }

    /// One event per id `select` yields (`SELECT id FROM …`), all of one type and campaign,
    /// in one row (`EventRow`): how a close writes its pledges' and refunds' events. Returns
    /// how many events it holds.
    @discardableResult
    func recordEvents(_ type: EventType, campaignID: Int64, ids select: String, _ values: [SQLiteValue], at now: Timestamp) throws -> Int {
        precondition(!type.resource.isStored, "events written by the row restore their resource from its row")
        try connection.flushDeferredAppends()
        guard let (low, high, count) = try connection.queryOne("SELECT MIN(id), MAX(id), COUNT(*) FROM (\(select))", values, {
            ($0.optionalInt(0), $0.optionalInt(1), $0.int(2))
        }), let first = low, let last = high, count > 0 else { return 0 }
        return try recordEvents(type, campaignID: campaignID, first: first, last: last, count: count, ids: select, values, at: now)
    }

    /// The same for ids whose bounds and number the caller knows: one run when they are
    /// consecutive (a flash sale's chunk), with no scan; else `select` lists them.
    @discardableResult
    func recordEvents(_ type: EventType, campaignID: Int64, first: Int64, last: Int64, count: Int64, ids select: String,
                      _ values: [SQLiteValue], at now: Timestamp) throws -> Int {
        precondition(count > 0 && last - first + 1 >= count, "\(count) ids between \(first) and \(last)")
        try connection.flushDeferredAppends()
        let subjects: String?
        if count == 1 {
            subjects = nil
        } else if last - first + 1 == count {
            subjects = "\(first)-\(last)"
        } else {
            var ids: [Int64] = []
            ids.reserveCapacity(Int(count))
            try connection.forEachRow("SELECT id FROM (\(select)) ORDER BY id", values) { ids.append($0.int(0)) }
            guard ids.count == count, ids.first == first, ids.last == last else {
                throw StoreInvariantError("\(type.rawValue): \(ids.count) ids listed for \(count) between \(first) and \(last)")
            }
            subjects = EventRow.runs(of: ids)
        }
        try Self.insertEventRow(connection, type: type.rawValue, campaignID: .integer(campaignID), first: first, count: count,
                                subjects: subjects, at: now.seconds)
        return Int(count)
    }

    public func events(after seq: Int64, types: Set<EventType>?, campaignID: Int64?, limit: Int) throws -> [StoredEvent] {
        let typeList: SQLiteValue = types.map { .text(Self.jsonStrings($0.map(\.rawValue).sorted())) } ?? .null
        var events: [StoredEvent] = []
        // Each row holds at least one event past `seq`, so `limit` rows are enough.
        for row in try connection.query(EventRow.columns + """
             WHERE seq > ?1 AND (?2 IS NULL OR type IN (SELECT value FROM json_each(?2))) AND (?3 IS NULL OR campaign_id = ?3)
             ORDER BY seq LIMIT ?4
            """, [.integer(seq), typeList, SQLiteValue(campaignID), .integer(Int64(limit))], EventRow.init) {
            events += try row.events(after: seq, limit: limit - events.count)
            if events.count >= limit { break }
        }
        return events
    }

    public func event(seq: Int64) throws -> StoredEvent? {
        guard let row = try connection.queryOne(EventRow.columns + " WHERE seq >= ? ORDER BY seq LIMIT 1", [.integer(seq)], EventRow.init),
              row.firstSeq <= seq else { return nil }
        return try row.events(after: seq - 1, limit: 1).first
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
                                               [.text(Self.jsonArray(refundIDs))], Self.refund) {
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

    /// Event type names are our own ([a-z_.]): no escaping needed, asserted all the same.
    static func jsonStrings(_ names: [String]) -> String {
        precondition(names.allSatisfy { $0.utf8.allSatisfy { $0 == 0x2E || $0 == 0x5F || (0x61...0x7A).contains($0) } })
        return "[" + names.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }
}
