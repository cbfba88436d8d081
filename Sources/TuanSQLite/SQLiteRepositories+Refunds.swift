import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    static let refundColumns = """
        SELECT id, pledge_id, campaign_id, consumer_id, amount_minor, currency, journal_id, reason, status, reference, created_at, completed_at
        FROM refunds
        """

    static func refund(_ row: Row) throws -> Refund {
        guard let reason = JournalEntry.Kind(rawValue: row.string(7)), let status = Refund.Status(rawValue: row.string(8)) else {
            throw StoreInvariantError("refund \(row.int(0)) has an unknown reason or status")
        }
        return Refund(restoringID: row.int(0), pledgeID: row.int(1), campaignID: row.int(2), consumerID: row.string(3),
                      amount: Money(minor: row.int(4), currency: Currency(restoring: row.string(5))), journalID: row.int(6),
                      reason: reason, status: status, reference: row.optionalString(9), createdAt: Timestamp(seconds: row.int(10)),
                      completedAt: row.optionalInt(11).map(Timestamp.init))
    }

    public func refund(id: Int64) throws -> Refund? {
        try connection.queryOne(Self.refundColumns + " WHERE id = ?", [.integer(id)], Self.refund)
    }

    public func refunds(status: Refund.Status?, consumerID: String?, pledgeID: Int64?, limit: Int) throws -> [Refund] {
        try connection.query(Self.refundColumns + """
             WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR consumer_id = ?2) AND (?3 IS NULL OR pledge_id = ?3)
             ORDER BY id DESC LIMIT ?4
            """, [SQLiteValue(status?.rawValue), SQLiteValue(consumerID), SQLiteValue(pledgeID), .integer(Int64(limit))], Self.refund)
    }

    public func saveCompletedRefund(_ refund: Refund) throws {
        try connection.run("UPDATE refunds SET status = ?, reference = ?, completed_at = ? WHERE id = ? AND status = 'due'",
                           [.text(refund.status.rawValue), SQLiteValue(refund.reference), SQLiteValue(refund.completedAt?.seconds),
                            .integer(refund.id)])
    }

    public func refundsDue() throws -> [String: Int64] {
        var totals: [String: Int64] = [:]
        for (currency, total) in try connection.query("SELECT currency, SUM(amount_minor) FROM refunds WHERE status = 'due' GROUP BY currency", [],
                                                      { ($0.string(0), $0.int(1)) }) {
            totals[currency] = total
        }
        return totals
    }
}
