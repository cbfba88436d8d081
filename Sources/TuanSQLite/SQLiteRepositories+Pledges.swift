import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    public func pledge(id: Int64) throws -> Pledge? {
        try connection.queryOne(Self.pledgeColumns + " WHERE id = ?", [.integer(id)], PledgeRow.init).map { try withLines([$0.pledge()])[0] }
    }

    public func pledge(idempotencyScope scope: String, key: String) throws -> (pledge: Pledge, fingerprint: String)? {
        guard let (pledge, fingerprint) = try connection.queryOne(Self.pledgeByIdempotencyKey, [.text(scope), .text(key)], { row in
            let stored = PledgeRow(row)
            return (try stored.pledge(), stored.fingerprint)
        }) else { return nil }
        return (try withLines([pledge])[0], fingerprint)
    }

    public func pledges(campaignID: Int64, status: PledgeStatus? = nil) throws -> [Pledge] {
        try withLines(connection.query(Self.pledgeColumns + " WHERE campaign_id = ?1 AND (?2 IS NULL OR status = ?2) ORDER BY id",
                                       [.integer(campaignID), SQLiteValue(status?.rawValue)], PledgeRow.init).map { try $0.pledge() })
    }

    /// The pledges with their lines read, for those that have lines (a stored price difference
    /// says so; a pledge of a campaign's one implicit item has none, and costs no query).
    func withLines(_ pledges: [Pledge]) throws -> [Pledge] {
        let lined = pledges.indices.filter { pledges[$0].hasStoredLines }
        guard !lined.isEmpty else { return pledges }
        var byPledge: [Int64: [PledgeLine]] = [:]
        for (id, line) in try connection.query("""
            SELECT pledge_id, sku, quantity, price_delta_minor, status, refunded_at, commission_reversed_minor FROM pledge_lines
            WHERE pledge_id IN (SELECT value FROM json_each(?)) ORDER BY pledge_id, line
            """, [.text(Self.jsonArray(lined.map { pledges[$0].id }))], { row in
            (row.int(0), PledgeLine(sku: row.string(1), quantity: row.int(2), priceDeltaMinor: row.int(3),
                                    status: PledgeLine.Status(rawValue: row.string(4)) ?? .active,
                                    refundedAt: row.optionalInt(5).map(Timestamp.init(seconds:)), commissionReversedMinor: row.int(6)))
        }) {
            byPledge[id, default: []].append(line)
        }
        var result = pledges
        for index in lined {
            result[index].lines = byPledge[result[index].id] ?? []
            // The row keeps the commission fixed at confirmation; what refunded lines took back comes off.
            if let commission = result[index].commission {
                let reversed = result[index].lines.reduce(0) { $0 + $1.commissionReversedMinor }
                result[index].commission = Money(minor: commission.minor - reversed, currency: commission.currency)
            }
        }
        return result
    }

    /// The pledges with these ids (a page of events restores its resources from them).
    func pledges(ids: [Int64]) throws -> [Int64: Pledge] {
        guard !ids.isEmpty else { return [:] }
        var found: [Int64: Pledge] = [:]
        for pledge in try withLines(connection.query(Self.pledgeColumns + " WHERE id IN (SELECT value FROM json_each(?))",
                                                     [.text(Self.jsonArray(ids))], PledgeRow.init).map { try $0.pledge() }) {
            found[pledge.id] = pledge
        }
        return found
    }

    /// Ids as a JSON array, for `json_each` (a list bound as one parameter).
    static func jsonArray(_ ids: [Int64]) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }

    public func consumerUnits(campaignID: Int64, consumerID: String) throws -> Int64 {
        try connection.scalarInt("""
            SELECT COALESCE(SUM(quantity), 0) FROM pledges
            WHERE consumer_id = ? AND campaign_id = ? AND status IN ('pledged', 'confirmed', 'paid')
            """, [.text(consumerID), .integer(campaignID)]) ?? 0
    }

    public func pledges(consumerID: String, limit: Int) throws -> [Pledge] {
        try withLines(connection.query(Self.pledgeColumns + " WHERE consumer_id = ? ORDER BY id DESC LIMIT ?",
                                       [.text(consumerID), .integer(Int64(limit))], PledgeRow.init).map { try $0.pledge() })
    }

    /// Confirmed pledges past their balance deadline, for the default sweep.
    public func overduePledges(at now: Timestamp) throws -> [Int64] {
        try connection.query("""
            SELECT p.id FROM pledges p JOIN campaigns c ON c.id = p.campaign_id
            WHERE p.status = 'confirmed' AND c.status = 'succeeded' AND c.balance_due_at <= ? ORDER BY p.id
            """, [.integer(now.seconds)]) { $0.int(0) }
    }

    public func campaignsDueForBalanceReminder(at now: Timestamp, leadSeconds: Int64) throws -> [Int64] {
        try connection.query("""
            SELECT id FROM campaigns WHERE status = 'succeeded' AND balance_reminded = 0 AND balance_due_at IS NOT NULL
              AND balance_due_at - ?2 <= ?1 ORDER BY balance_due_at, id
            """, [.integer(now.seconds), .integer(leadSeconds)]) { $0.int(0) }
    }

    public func nextBalanceReminder(leadSeconds: Int64) throws -> Timestamp? {
        try connection.scalarInt("""
            SELECT MIN(balance_due_at - ?) FROM campaigns WHERE status = 'succeeded' AND balance_reminded = 0 AND balance_due_at IS NOT NULL
            """, [.integer(leadSeconds)]).map(Timestamp.init(seconds:))
    }

    public func writeBalanceReminders(campaignID: Int64, limit: Int, at now: Timestamp) throws -> Int {
        let id = SQLiteValue.integer(campaignID)
        guard let (through, dueAt) = try connection.queryOne(
            "SELECT COALESCE(balance_reminded_through, 0), balance_due_at FROM campaigns WHERE id = ? AND balance_reminded = 0",
            [id], { ($0.int(0), $0.optionalInt(1)) }) else { return 0 }
        // A deadline already passed (the service was down): the default sweep answers instead.
        let last: Int64?
        if let dueAt, dueAt > now.seconds {
            last = try connection.scalarInt("""
                SELECT MAX(id) FROM (SELECT id FROM pledges WHERE campaign_id = ?1 AND status = 'confirmed' AND id > ?2 ORDER BY id LIMIT ?3)
                """, [id, .integer(through), .integer(Int64(limit))])
        } else {
            last = nil
        }
        guard let last else {
            try connection.run("UPDATE campaigns SET balance_reminded = 1 WHERE id = ?", [id])
            return 0
        }
        let written = try recordEvents(.pledgeBalanceDue, campaignID: campaignID, ids: """
            SELECT id FROM pledges WHERE campaign_id = ?1 AND status = 'confirmed' AND id > ?2 AND id <= ?3
            """, [id, .integer(through), .integer(last)], at: now)
        try connection.run("UPDATE campaigns SET balance_reminded_through = ? WHERE id = ?", [.integer(last), id])
        return written
    }

    public func nextBalanceDue() throws -> Timestamp? {
        try connection.scalarInt("""
            SELECT MIN(c.balance_due_at) FROM campaigns c
            WHERE c.status = 'succeeded' AND EXISTS (SELECT 1 FROM pledges p WHERE p.campaign_id = c.id AND p.status = 'confirmed')
            """).map(Timestamp.init(seconds:))
    }

    /// Inserts a new pledge; a taken idempotency key (the table's only unique key besides the
    /// id) is `RepositoryConflict.idempotencyKeyTaken`, with nothing written.
    func insertPledge(_ pledge: Pledge, teamID: Int64?, fingerprint: String, scope: String) throws -> Int64 {
        let values: [SQLiteValue] = [
            .integer(pledge.campaignID), .text(pledge.consumerID), .integer(pledge.quantity), .integer(pledge.deposit.minor),
            .text(pledge.deposit.currency.code), SQLiteValue(pledge.leaderCode), SQLiteValue(pledge.pickupPoint),
            SQLiteValue(pledge.depositPaymentRef), .text(scope), .text(pledge.idempotencyKey), .text(fingerprint),
            .text(pledge.status.rawValue), .integer(pledge.createdAt.seconds), .integer(pledge.updatedAt.seconds), SQLiteValue(teamID)]
        do {
            // A pledge of a campaign's one implicit item writes exactly the row it always did.
            guard !pledge.lines.isEmpty else { return try connection.insert(Self.insertPledgeSQL, values) }
            let id = try connection.insert(Self.insertLinedPledgeSQL, values + [.integer(pledge.priceDeltaMinor)])
            for (index, line) in pledge.lines.enumerated() {
                try connection.run("""
                    INSERT INTO pledge_lines(pledge_id, line, campaign_id, sku, quantity, price_delta_minor) VALUES (?, ?, ?, ?, ?, ?)
                    """, [.integer(id), .integer(Int64(index)), .integer(pledge.campaignID), .text(line.sku), .integer(line.quantity),
                          .integer(line.priceDeltaMinor)])
            }
            return id
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw RepositoryConflict.idempotencyKeyTaken
        }
    }

    static let insertPledgeSQL = """
        INSERT INTO pledges(campaign_id, consumer_id, quantity, deposit_minor, currency, leader_code, pickup_point,
                            deposit_payment_ref, idempotency_scope, idempotency_key, fingerprint, status, created_at, updated_at,
                            team_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static let insertLinedPledgeSQL = """
        INSERT INTO pledges(campaign_id, consumer_id, quantity, deposit_minor, currency, leader_code, pickup_point,
                            deposit_payment_ref, idempotency_scope, idempotency_key, fingerprint, status, created_at, updated_at,
                            team_id, price_delta_minor)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Its status, `updated_at` and commission (as fixed at confirmation), and its lines' refunds.
    func savePledgeStatus(_ pledge: Pledge) throws {
        try connection.run("UPDATE pledges SET status = ?, updated_at = ?, commission_minor = ? WHERE id = ?",
                           [.text(pledge.status.rawValue), .integer(pledge.updatedAt.seconds),
                            SQLiteValue(pledge.commissionAtConfirmation?.minor), .integer(pledge.id)])
        for (index, line) in pledge.lines.enumerated() where line.status == .refunded {
            try connection.run("""
                UPDATE pledge_lines SET status = 'refunded', refunded_at = ?, commission_reversed_minor = ?
                WHERE pledge_id = ? AND line = ? AND status = 'active'
                """, [SQLiteValue(line.refundedAt?.seconds), .integer(line.commissionReversedMinor), .integer(pledge.id),
                      .integer(Int64(index))])
        }
    }

    static let pledgeByIdempotencyKey = pledgeColumns + " WHERE idempotency_scope = ? AND idempotency_key = ?"

    static let pledgeColumns = """
        SELECT id, campaign_id, consumer_id, quantity, deposit_minor, currency, leader_code, pickup_point,
               deposit_payment_ref, idempotency_key, fingerprint, status, created_at, updated_at, team_id, commission_minor,
               price_delta_minor
        FROM pledges
        """
}

struct PledgeRow {
    var id: Int64, campaignID: Int64, consumerID: String, quantity: Int64, depositMinor: Int64, currency: String
    var leaderCode: String?, pickupPoint: String?, depositPaymentRef: String?, idempotencyKey: String, fingerprint: String
    var status: String, createdAt: Int64, updatedAt: Int64, teamID: Int64?, commissionMinor: Int64?
    var priceDeltaMinor: Int64?

    init(_ row: Row) {
        id = row.int(0); campaignID = row.int(1); consumerID = row.string(2); quantity = row.int(3)
        depositMinor = row.int(4); currency = row.string(5); leaderCode = row.optionalString(6)
        pickupPoint = row.optionalString(7); depositPaymentRef = row.optionalString(8); idempotencyKey = row.string(9)
        fingerprint = row.string(10); status = row.string(11); createdAt = row.int(12); updatedAt = row.int(13)
        teamID = row.optionalInt(14); commissionMinor = row.optionalInt(15)
        priceDeltaMinor = row.optionalInt(16)
    }

    func pledge() throws -> Pledge {
        guard let parsed = PledgeStatus(rawValue: status) else {
            throw StoreInvariantError("unknown pledge status \(status)")
        }
        let currency = Currency(restoring: currency)
        return Pledge(restoringID: id, campaignID: campaignID, consumerID: consumerID, quantity: quantity,
                      deposit: Money(minor: depositMinor, currency: currency), leaderCode: leaderCode, pickupPoint: pickupPoint,
                      depositPaymentRef: depositPaymentRef, idempotencyKey: idempotencyKey, teamID: teamID,
                      commission: commissionMinor.map { Money(minor: $0, currency: currency) }, status: parsed,
                      createdAt: Timestamp(seconds: createdAt), updatedAt: Timestamp(seconds: updatedAt),
                      priceDeltaMinor: priceDeltaMinor ?? 0, hasStoredLines: priceDeltaMinor != nil)
    }
}
