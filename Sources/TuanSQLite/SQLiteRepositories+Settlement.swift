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

    /// Per known leader, one probe of `pledges_by_leader`: scanning a flash sale's million
    /// pledges for their codes held the writer for a tenth of a second. (Codes no leader has
    /// earn no commission, so they need not be found.)
    public func pledgedLeaderCodes(campaignID: Int64) throws -> [String] {
        try connection.query("""
            SELECT code FROM leaders WHERE EXISTS (
                SELECT 1 FROM pledges WHERE leader_code = leaders.code AND campaign_id = ? AND status = 'pledged')
            ORDER BY code
            """, [.integer(campaignID)]) { $0.string(0) }
    }

    public func settlePledges(_ plan: SettlementPlan, limit: Int) throws -> SettledPledges {
        precondition(limit > 0, "a chunk settles at least one pledge")
        let campaignID = plan.closing.id, at = plan.at.seconds
        // The chunk: the first `limit` pledges still pledged. Settled ones leave that status, so
        // the next chunk (after a restart too) starts where this one ends.
        let last = try connection.scalarInt("""
            SELECT id FROM pledges WHERE campaign_id = ? AND status = 'pledged' ORDER BY id LIMIT 1 OFFSET ?
            """, [.integer(campaignID), .integer(Int64(limit - 1))]) ?? Int64.max
        let range = "campaign_id = ?1 AND status = 'pledged' AND id <= \(last)"
        // Refunded: every pledge when the campaign did not succeed, else those in unfilled teams.
        let refunded = plan.succeeded ? range + " AND team_id IN (SELECT value FROM json_each(?2))" : range
        let refundValues: [SQLiteValue] = plan.succeeded ? [.integer(campaignID), .text(Self.jsonArray(plan.unfilledTeamIDs))]
                                                         : [.integer(campaignID)]
        // A success with no unfilled team refunds nothing: four scans of the chunk saved.
        let refundCount = plan.succeeded && plan.unfilledTeamIDs.isEmpty ? 0 : try refundDeposits(campaignID: campaignID, where: refunded, refundValues, at: at)
        guard plan.succeeded, let price = plan.unitPrice else { return SettledPledges(confirmed: 0, refunded: refundCount) }
        // Confirmed: the rest, each with the commission its leader earns on its total. Their
        // bounds are two probes of the index; counting them would scan the chunk once more.
        // (Two statements: SQLite answers a lone MIN or MAX from the index, both together by a scan.)
        let chunk: [SQLiteValue] = [.integer(campaignID), .integer(last)]
        let bounds = (try connection.scalarInt("SELECT MIN(id) FROM pledges WHERE campaign_id = ? AND status = 'pledged' AND id <= ?", chunk),
                      try connection.scalarInt("SELECT MAX(id) FROM pledges WHERE campaign_id = ? AND status = 'pledged' AND id <= ?", chunk))
        let confirmed = try connection.run("""
            UPDATE pledges SET status = 'confirmed', updated_at = ?2,
                commission_minor = CASE WHEN leader_code IS NULL THEN NULL ELSE
                    (quantity * (CASE WHEN team_id IS NOT NULL THEN ?4 ELSE ?3 END) + COALESCE(price_delta_minor, 0))
                    * (SELECT value FROM json_each(?5) WHERE key = leader_code) / 10000 END
            WHERE \(range)
            """, [.integer(campaignID), .integer(at), .integer(price.minor), .integer((plan.teamUnitPrice ?? price).minor),
                  .text(Self.jsonObject(plan.commissionRates))])
        // Confirmed ids between the bounds are this chunk's: earlier chunks ended below them,
        // and the pledges between them that were not pledged (cancelled, refunded) stay so.
        if confirmed > 0, let first = bounds.0, let lastConfirmed = bounds.1 {
            try recordEvents(.pledgeConfirmed, campaignID: campaignID, first: first, last: lastConfirmed, count: Int64(confirmed),
                             ids: "SELECT id FROM pledges WHERE campaign_id = ?1 AND status = 'confirmed' AND id BETWEEN ?2 AND ?3",
                             [.integer(campaignID), .integer(first), .integer(lastConfirmed)], at: plan.at)
        }
        return SettledPledges(confirmed: Int64(confirmed), refunded: refundCount)
    }

    public func saveSettlementPlan(_ plan: SettlementPlan, settled: SettledPledges) throws {
        try connection.run("UPDATE campaigns SET settlement_plan = ? WHERE id = ?",
                           [.text(Self.stored(plan, settled: settled)), .integer(plan.closing.id)])
    }

    public func clearSettlementPlan(campaignID: Int64) throws {
        try connection.run("UPDATE campaigns SET settlement_plan = NULL WHERE id = ?", [.integer(campaignID)])
    }

    public func settlementPlan(closing: Campaign) throws -> (plan: SettlementPlan, settled: SettledPledges)? {
        guard let text = try connection.queryOne("SELECT settlement_plan FROM campaigns WHERE id = ?", [.integer(closing.id)],
                                                 { $0.optionalString(0) }) ?? nil else { return nil }
        guard let json = try? JSONParser.parse(Array(text.utf8)), case .object(let fields) = json else {
            throw StoreInvariantError("campaign \(closing.id)'s settlement plan is not readable")
        }
        let value = { (name: String) in fields.first { $0.key == name }?.value }
        func int(_ name: String) -> Int64? { if case .int(let v)? = value(name) { v } else { nil } }
        guard let outcomeName = value("outcome").flatMap({ if case .string(let s) = $0 { s } else { nil } }),
              let outcome = CampaignStatus(rawValue: outcomeName), let at = int("at") else {
            throw StoreInvariantError("campaign \(closing.id)'s settlement plan lacks its outcome")
        }
        var teams: [Int64] = [], rates: [String: Int64] = [:]
        if case .array(let ids)? = value("unfilled_team_ids") { teams = ids.compactMap { if case .int(let v) = $0 { v } else { nil } } }
        if case .object(let pairs)? = value("commission_rates") {
            for pair in pairs { if case .int(let bps) = pair.value { rates[pair.key] = bps } }
        }
        let currency = closing.currency
        let plan = SettlementPlan(restoringClosing: closing, outcome: outcome, unfilledTeamIDs: teams,
                                  unitPrice: int("unit_price_minor").map { Money(minor: $0, currency: currency) },
                                  teamUnitPrice: int("team_unit_price_minor").map { Money(minor: $0, currency: currency) },
                                  commissionRates: rates, at: Timestamp(seconds: at))
        return (plan, SettledPledges(confirmed: int("confirmed") ?? 0, refunded: int("refunded") ?? 0))
    }

    private static func stored(_ plan: SettlementPlan, settled: SettledPledges) -> String {
        var fields: [JSONValue.Field] = [
            .init("outcome", .string(plan.outcome.rawValue)), .init("at", .int(plan.at.seconds)),
            .init("unfilled_team_ids", .array(plan.unfilledTeamIDs.map { .int($0) })),
            .init("commission_rates", .object(plan.commissionRates.keys.sorted().map { JSONValue.Field($0, .int(plan.commissionRates[$0]!)) })),
            .init("confirmed", .int(settled.confirmed)), .init("refunded", .int(settled.refunded)),
        ]
        if let price = plan.unitPrice { fields.append(.init("unit_price_minor", .int(price.minor))) }
        if let price = plan.teamUnitPrice { fields.append(.init("team_unit_price_minor", .int(price.minor))) }
        return JSONValue.object(fields).serialized
    }

    /// The refunded pledges' deposit entries (escrow to refunds payable, one entry a pledge, as
    /// `JournalEntry.depositRefunded`), their postings, refunds due and running balances, then
    /// their status.
    private func refundDeposits(campaignID: Int64, where condition: String, _ values: [SQLiteValue], at: Int64) throws -> Int64 {
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
            SELECT j.id, 1, 'refunds_payable', -p.deposit_minor FROM journal_entries j JOIN pledges p ON p.id = j.pledge_id WHERE j.id > ?1
            """, [.integer(before)])
        // Each deposit is now a refund due to its consumer, as `post` records for one entry.
        let due = Int64(try connection.run("""
            INSERT INTO refunds(journal_id, pledge_id, campaign_id, consumer_id, amount_minor, currency, reason, status, created_at)
            SELECT j.id, p.id, p.campaign_id, p.consumer_id, p.deposit_minor, p.currency, 'deposit_refunded', 'due', ?2
            FROM journal_entries j JOIN pledges p ON p.id = j.pledge_id WHERE j.id > ?1
            """, [.integer(before), .integer(at)]))
        // One statement's rows take consecutive ids, ending at the last one inserted.
        if due > 0 {
            let last = connection.lastInsertRowID
            try recordEvents(.refundDue, campaignID: campaignID, first: last - due + 1, last: last, count: due,
                             ids: "SELECT id FROM refunds WHERE journal_id > ?1", [.integer(before)], at: Timestamp(seconds: at))
        }
        let sums = try connection.query("""
            SELECT p.currency, SUM(p.deposit_minor) FROM journal_entries j JOIN pledges p ON p.id = j.pledge_id
            WHERE j.id > ? GROUP BY p.currency ORDER BY p.currency
            """, [.integer(before)]) { ($0.string(0), $0.int(1)) }
        for (currency, total) in sums {
            do {
                try connection.add(Counters(total), to: CounterTables.balances, key: [.text(currency), .text(Account.escrow.rawValue)])
                try connection.add(Counters(-total), to: CounterTables.balances, key: [.text(currency), .text(Account.refundsPayable.rawValue)])
            } catch is CounterOverflowError {
                throw RepositoryConflict.counterOverflow("the escrow balance in \(currency)")
            }
        }
        try recordEvents(.pledgeRefunded, campaignID: campaignID, ids: "SELECT id FROM pledges WHERE \(condition)", values,
                         at: Timestamp(seconds: at))
        return Int64(try connection.run("UPDATE pledges SET status = 'refunded', updated_at = \(at) WHERE \(condition)", values))
    }

    /// Summed a range of ids at a time: one GROUP BY over a million rows sorts them all in memory.
    public func confirmedDestinations(campaignID: Int64) throws -> [AggregatedDemand.Destination] {
        var parts: [AggregatedDemand.Destination] = []
        try forEachConfirmedRange(campaignID) { range in
            parts += try connection.query("""
                SELECT pickup_point, leader_code, SUM(quantity), COUNT(*) FROM pledges
                WHERE \(range) GROUP BY pickup_point, leader_code
                """, [.integer(campaignID)]) {
                AggregatedDemand.Destination(pickupPoint: $0.optionalString(0), leaderCode: $0.optionalString(1), quantity: $0.int(2),
                                             pledgeCount: $0.int(3))
            }
        }
        return parts
    }

    /// Per SKU, the active lines of confirmed pledges summed per (pickup point, leader). A
    /// campaign of items is summed in one statement: it is not a flash sale of one SKU.
    public func confirmedLineDestinations(campaignID: Int64) throws -> [String: [AggregatedDemand.Destination]] {
        var bySKU: [String: [AggregatedDemand.Destination]] = [:]
        for (sku, destination) in try connection.query("""
            SELECT l.sku, p.pickup_point, p.leader_code, SUM(l.quantity), COUNT(*) FROM pledge_lines l JOIN pledges p ON p.id = l.pledge_id
            WHERE l.campaign_id = ? AND l.status = 'active' AND p.status = 'confirmed'
            GROUP BY l.sku, p.pickup_point, p.leader_code
            """, [.integer(campaignID)], { row in
            (row.string(0), AggregatedDemand.Destination(pickupPoint: row.optionalString(1), leaderCode: row.optionalString(2),
                                                         quantity: row.int(3), pledgeCount: row.int(4)))
        }) {
            bySKU[sku, default: []].append(destination)
        }
        return bySKU
    }

    public func latestConfirmedPledges(campaignID: Int64, sku: String?, units: Int64) throws -> [Pledge] {
        try latestPledges(campaignID: campaignID, sku: sku, units: units, statuses: "'confirmed'")
    }

    public func latestStandingPledges(campaignID: Int64, sku: String?, units: Int64) throws -> [Pledge] {
        try latestPledges(campaignID: campaignID, sku: sku, units: units, statuses: "'confirmed', 'paid'")
    }

    private func latestPledges(campaignID: Int64, sku: String?, units: Int64, statuses: String) throws -> [Pledge] {
        // A running sum, newest first: the rows up to the one that reaches `units`.
        let ids = try connection.query(sku == nil ? """
            SELECT id FROM (SELECT id, quantity, SUM(quantity) OVER (ORDER BY created_at DESC, id DESC) AS running
                            FROM pledges WHERE campaign_id = ?1 AND status IN (\(statuses)))
            WHERE running - quantity < ?2
            """ : """
            SELECT id FROM (SELECT p.id, l.quantity, SUM(l.quantity) OVER (ORDER BY p.created_at DESC, p.id DESC) AS running
                            FROM pledge_lines l JOIN pledges p ON p.id = l.pledge_id
                            WHERE l.campaign_id = ?1 AND l.sku = ?3 AND l.status = 'active' AND p.status IN (\(statuses)))
            WHERE running - quantity < ?2
            """, sku == nil ? [.integer(campaignID), .integer(units)] : [.integer(campaignID), .integer(units), .text(sku!)]) { $0.int(0) }
        return try pledges(ids: ids).values.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
    }

    public func standingDestinations(campaignID: Int64) throws -> [String: [AggregatedDemand.Destination]] {
        // Lines of a campaign of items; else the pledge is one line of the campaign's product.
        var bySKU: [String: [AggregatedDemand.Destination]] = [:]
        for (sku, destination) in try connection.query("""
            SELECT l.sku, p.pickup_point, p.leader_code, SUM(l.quantity), COUNT(*) FROM pledge_lines l JOIN pledges p ON p.id = l.pledge_id
            WHERE l.campaign_id = ?1 AND l.status = 'active' AND p.status IN ('confirmed', 'paid')
            GROUP BY l.sku, p.pickup_point, p.leader_code
            UNION ALL
            SELECT c.sku, p.pickup_point, p.leader_code, SUM(p.quantity), COUNT(*) FROM pledges p JOIN campaigns c ON c.id = p.campaign_id
            WHERE p.campaign_id = ?1 AND p.status IN ('confirmed', 'paid') AND p.price_delta_minor IS NULL
            GROUP BY p.pickup_point, p.leader_code
            """, [.integer(campaignID)], { row in
            (row.string(0), AggregatedDemand.Destination(pickupPoint: row.optionalString(1), leaderCode: row.optionalString(2),
                                                         quantity: row.int(3), pledgeCount: row.int(4)))
        }) {
            bySKU[sku, default: []].append(destination)
        }
        return bySKU
    }

    public func commissionTotals(campaignID: Int64) throws -> [String: Int64] {
        var totals: [String: Int64] = [:]
        try forEachConfirmedRange(campaignID) { range in
            for (code, sum) in try connection.query("""
                SELECT leader_code, SUM(commission_minor) FROM pledges
                WHERE \(range) AND commission_minor IS NOT NULL GROUP BY leader_code
                """, [.integer(campaignID)], { ($0.string(0), $0.int(1)) }) {
                totals[code, default: 0] += sum
            }
        }
        return totals
    }

    /// Calls `body` with a condition (on `?1`, the campaign) for each run of up to 100 000 of
    /// the campaign's confirmed pledges, by id.
    private func forEachConfirmedRange(_ campaignID: Int64, _ body: (String) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let base = "campaign_id = ?1 AND status = 'confirmed' AND id > \(after)"
            guard try connection.scalarInt("SELECT MIN(id) FROM pledges WHERE \(base)", [.integer(campaignID)]) != nil else { return }
            let last = try connection.scalarInt("SELECT id FROM pledges WHERE \(base) ORDER BY id LIMIT 1 OFFSET 99999",
                                                [.integer(campaignID)])
            try body(base + (last.map { " AND id <= \($0)" } ?? ""))
            guard let last else { return }
            after = last
        }
    }


    /// Leader codes are validated ([a-z0-9_-]); escaped all the same.
    private static func jsonObject(_ rates: [String: Int64]) -> String {
        JSONValue.object(rates.keys.sorted().map { JSONValue.Field($0, .int(rates[$0]!)) }).serialized
    }
}
