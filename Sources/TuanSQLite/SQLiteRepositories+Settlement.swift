import TuanApp
import TuanDomain
import TuanStore

/// A close applied set-based: a few statements whatever the number of pledges. Each statement
/// carries out `SettlementPlan.disposition(of:)` for the rows it touches; nothing is decided
/// here (the plan's figures are bound as parameters).
extension SQLiteRepositories {
    public func pledgedTotals(campaignID: Int64, teamIDs: [Int64]) throws -> (units: Int64, pledges: Int64) {
        guard !teamIDs.isEmpty else { return (0, 0) }
        return try connection.queryOne("""
            SELECT COALESCE(SUM(quantity), 0), COUNT(*) FROM pledges
            WHERE campaign_id = ? AND status = 'pledged' AND team_id IN (SELECT value FROM json_each(?))
            """, [.integer(campaignID), .text(Self.jsonArray(teamIDs))]) { ($0.int(0), $0.int(1)) } ?? (0, 0)
    }

    public func pledgedLeaderCodes(campaignID: Int64) throws -> [String] {
        try connection.query("""
            SELECT DISTINCT leader_code FROM pledges
            WHERE campaign_id = ? AND status = 'pledged' AND leader_code IS NOT NULL ORDER BY leader_code
            """, [.integer(campaignID)]) { $0.string(0) }
    }

    public func settlePledges(_ plan: SettlementPlan) throws -> (confirmed: Int64, refunded: Int64) {
        let campaignID = plan.original.id, at = plan.at.seconds
        // Refunded: every pledged pledge when the campaign did not succeed, else those in unfilled teams.
        let refunded = plan.succeeded
            ? "campaign_id = ?1 AND status = 'pledged' AND team_id IN (SELECT value FROM json_each(?2))"
            : "campaign_id = ?1 AND status = 'pledged'"
        let refundValues: [SQLiteValue] = plan.succeeded ? [.integer(campaignID), .text(Self.jsonArray(plan.unfilledTeamIDs))]
                                                         : [.integer(campaignID)]
        let refundCount = try refundDeposits(where: refunded, refundValues, at: at)
        guard plan.succeeded, let price = plan.unitPrice else { return (0, refundCount) }
        // Confirmed: the rest, each with the commission its leader earns on its total.
        let confirmed = try connection.run("""
            UPDATE pledges SET status = 'confirmed', updated_at = ?2,
                commission_minor = CASE WHEN leader_code IS NULL THEN NULL ELSE
                    quantity * (CASE WHEN team_id IS NOT NULL THEN ?4 ELSE ?3 END)
                    * (SELECT value FROM json_each(?5) WHERE key = leader_code) / 10000 END
            WHERE campaign_id = ?1 AND status = 'pledged'
            """, [.integer(campaignID), .integer(at), .integer(price.minor), .integer((plan.teamUnitPrice ?? price).minor),
                  .text(Self.jsonObject(plan.commissionRates))])
        return (Int64(confirmed), refundCount)
    }

    /// The refunded pledges' deposit entries (escrow back to cash, one entry a pledge, as
    /// `JournalEntry.depositRefunded`), their postings and running balances, then their status.
    private func refundDeposits(where condition: String, _ values: [SQLiteValue], at: Int64) throws -> Int64 {
        let before = try connection.scalarInt("SELECT COALESCE(MAX(id), 0) FROM journal_entries") ?? 0
        try connection.run("""
            INSERT INTO journal_entries(kind, currency, campaign_id, pledge_id, leader_code, memo, created_at)
            SELECT 'deposit_refunded', currency, campaign_id, id, NULL, '', \(at) FROM pledges
            WHERE \(condition) AND deposit_minor <> 0 ORDER BY id
            """, values)
        try connection.run("""
            INSERT INTO postings(journal_id, line, account, amount_minor)
            SELECT j.id, 0, 'escrow', p.deposit_minor FROM journal_entries j JOIN pledges p ON p.id = j.pledge_id WHERE j.id > ?1
            UNION ALL
            SELECT j.id, 1, 'cash', -p.deposit_minor FROM journal_entries j JOIN pledges p ON p.id = j.pledge_id WHERE j.id > ?1
            """, [.integer(before)])
        let sums = try connection.query("""
            SELECT p.currency, SUM(p.deposit_minor) FROM journal_entries j JOIN pledges p ON p.id = j.pledge_id
            WHERE j.id > ? GROUP BY p.currency ORDER BY p.currency
            """, [.integer(before)]) { ($0.string(0), $0.int(1)) }
        for (currency, total) in sums {
            do {
                try connection.add(Counters(total), to: CounterTables.balances, key: [.text(currency), .text(Account.escrow.rawValue)])
                try connection.add(Counters(-total), to: CounterTables.balances, key: [.text(currency), .text(Account.cash.rawValue)])
            } catch is CounterOverflowError {
                throw RepositoryConflict.counterOverflow("the escrow balance in \(currency)")
            }
        }
        return Int64(try connection.run("UPDATE pledges SET status = 'refunded', updated_at = \(at) WHERE \(condition)", values))
    }

    public func confirmedDestinations(campaignID: Int64) throws -> [AggregatedDemand.Destination] {
        try connection.query("""
            SELECT pickup_point, leader_code, SUM(quantity), COUNT(*) FROM pledges
            WHERE campaign_id = ? AND status = 'confirmed' GROUP BY pickup_point, leader_code
            """, [.integer(campaignID)]) {
            AggregatedDemand.Destination(pickupPoint: $0.optionalString(0), leaderCode: $0.optionalString(1), quantity: $0.int(2),
                                         pledgeCount: $0.int(3))
        }
    }

    public func commissionTotals(campaignID: Int64) throws -> [String: Int64] {
        let rows = try connection.query("""
            SELECT leader_code, SUM(commission_minor) FROM pledges
            WHERE campaign_id = ? AND status = 'confirmed' AND commission_minor IS NOT NULL GROUP BY leader_code
            """, [.integer(campaignID)]) { ($0.string(0), $0.int(1)) }
        return Dictionary(rows, uniquingKeysWith: +)
    }

    private static func jsonArray(_ ids: [Int64]) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }

    /// Leader codes are validated ([a-z0-9_-]); escaped all the same.
    private static func jsonObject(_ rates: [String: Int64]) -> String {
        JSONValue.object(rates.keys.sorted().map { JSONValue.Field($0, .int(rates[$0]!)) }).serialized
    }
}
