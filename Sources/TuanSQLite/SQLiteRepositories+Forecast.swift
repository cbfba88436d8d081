import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    /// Campaigns with their pledges, oldest first, filtered by category, SKU and status. With a
    /// SKU, a campaign of items that sells it counts too, each pledge with its line of that SKU
    /// (a pledge without one is left out, a refunded line counts as refunded).
    public func campaignHistories(category: String? = nil, sku: String? = nil, statuses: [CampaignStatus],
                                  id: Int64? = nil) throws -> [CampaignHistoryRecord] {
        var conditions = ["c.status IN (\(statuses.map { "'\($0.rawValue)'" }.joined(separator: ", ")))"]
        var values: [SQLiteValue] = []
        if let category { conditions.append("p.category = ?"); values.append(.text(category)) }
        if let sku {
            conditions.append("(c.sku = ? AND c.style_minimum IS NULL AND NOT EXISTS (SELECT 1 FROM campaign_items i WHERE i.campaign_id = c.id)"
                              + " OR c.id IN (SELECT campaign_id FROM campaign_items WHERE sku = ?))")
            values += [.text(sku), .text(sku)]
        }
        if let id { conditions.append("c.id = ?"); values.append(.integer(id)) }
        return try histories(filter: conditions.joined(separator: " AND "), values, lineSKU: sku)
    }

    /// The campaigns `campaignHistories(sku:)` gives each SKU of no campaign of items.
    private static let planCampaign = "c.style_minimum IS NULL AND NOT EXISTS (SELECT 1 FROM campaign_items i WHERE i.campaign_id = c.id)"

    public func planHistories(since: Int64) throws -> [String: [CampaignHistoryRecord]] {
        let filter = """
            c.status IN ('open', 'tipped', 'succeeded', 'failed') AND (c.closes_at >= ? OR c.status IN ('open', 'tipped'))
            AND \(Self.planCampaign)
            """
        return Dictionary(grouping: try histories(filter: filter, [.integer(since)], lineSKU: nil), by: \.sku)
    }

    public func finishedCampaignChanges(since: Int64) throws -> [(id: Int64, outcomeChanges: Int64)] {
        try connection.query("SELECT id, outcome_changes FROM campaigns WHERE status IN ('succeeded', 'failed') AND closes_at >= ?",
                             [.integer(since)]) { ($0.int(0), $0.int(1)) }
    }

    public func finishedPlanHistories(since: Int64, ids: [Int64]?) throws -> [(record: CampaignHistoryRecord, outcomeChanges: Int64)] {
        let finished = "c.status IN ('succeeded', 'failed') AND c.closes_at >= ? AND \(Self.planCampaign)"
        guard let ids else { return try countedHistories(filter: finished, [.integer(since)], lineSKU: nil) }
        guard !ids.isEmpty else { return [] }
        // One JSON array of ids binds any number of them as one value.
        let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
        return try countedHistories(filter: "c.id IN (SELECT value FROM json_each(?)) AND " + finished, [.text(list), .integer(since)], lineSKU: nil)
    }

    public func livePlanHistories() throws -> [CampaignHistoryRecord] {
        try histories(filter: "c.status IN ('open', 'tipped') AND \(Self.planCampaign)", [], lineSKU: nil)
    }

    public func itemCampaignIDs(statuses: [CampaignStatus]) throws -> Set<Int64> {
        Set(try connection.query("""
            SELECT DISTINCT i.campaign_id FROM campaign_items i JOIN campaigns c ON c.id = i.campaign_id
            WHERE c.status IN (\(statuses.map { "'\($0.rawValue)'" }.joined(separator: ", ")))
            """) { $0.int(0) })
    }

    public func itemSKUs() throws -> Set<String> {
        Set(try connection.query("SELECT DISTINCT sku FROM campaign_items") { $0.string(0) })
    }

    public func subscriptionDeliveriesBySKU(from: Timestamp) throws -> [String: [(week: Timestamp, quantity: Int64)]] {
        var bySKU: [String: [(week: Timestamp, quantity: Int64)]] = [:]
        for (sku, week, quantity) in try connection.query("""
            SELECT s.sku, d.week, SUM(d.quantity) FROM subscription_deliveries d JOIN subscriptions s ON s.id = d.subscription_id
            WHERE d.week >= ? GROUP BY s.sku, d.week ORDER BY s.sku, d.week
            """, [.integer(from.seconds)], { ($0.string(0), Timestamp(seconds: $0.int(1)), $0.int(2)) }) {
            bySKU[sku, default: []].append((week, quantity))
        }
        return bySKU
    }

    public func orderedQuantitiesBySKU(since: Int64) throws -> [String: [(createdAt: Int64, quantity: Int64)]] {
        var bySKU: [String: [(createdAt: Int64, quantity: Int64)]] = [:]
        for (sku, createdAt, quantity) in try connection.query("""
            SELECT l.sku, o.created_at, l.order_quantity FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.purchase_order_id
            WHERE o.created_at >= ? ORDER BY o.created_at
            """, [.integer(since)], { ($0.string(0), $0.int(1), $0.int(2)) }) {
            bySKU[sku, default: []].append((createdAt, quantity))
        }
        return bySKU
    }

    /// Campaigns matching `filter` (on `c`, the campaign, and `p`, its product) with their pledges
    /// folded; with `lineSKU`, each pledge of a campaign of items by its line of that SKU.
    private func histories(filter: String, _ values: [SQLiteValue], lineSKU sku: String?) throws -> [CampaignHistoryRecord] {
        try countedHistories(filter: filter, values, lineSKU: sku).map(\.record)
    }

    /// `histories`, each with its `outcome_changes`.
    private func countedHistories(filter: String, _ values: [SQLiteValue], lineSKU sku: String?) throws
        -> [(record: CampaignHistoryRecord, outcomeChanges: Int64)] {
        let headers = try historyHeaders(filter: filter, values)
        var records = headers.map(\.header)
        guard !records.isEmpty else { return [] }
        var index: [Int64: Int] = [:]
        for (position, record) in records.enumerated() { index[record.id] = position }
        // Folded while streaming: memory follows the distinct kinds of pledge, not their number.
        var groups: [CampaignHistoryRecord.PledgeRecord: Int] = [:]
        var currentCampaign: Int64 = -1
        let pledgeSQL = sku == nil ? """
            SELECT s.campaign_id, s.quantity, s.deposit_minor, s.leader_code IS NOT NULL, s.status, s.created_at, s.updated_at
            FROM pledges s JOIN campaigns c ON c.id = s.campaign_id JOIN products p ON p.sku = c.sku
            WHERE \(filter) ORDER BY s.campaign_id, s.id
            """ : """
            SELECT s.campaign_id, COALESCE(l.quantity, s.quantity),
                   CASE WHEN l.pledge_id IS NULL THEN s.deposit_minor ELSE s.deposit_minor / s.quantity * l.quantity END,
                   s.leader_code IS NOT NULL,
                   CASE WHEN l.status = 'refunded' AND s.status IN ('confirmed', 'paid') THEN 'refunded' ELSE s.status END,
                   s.created_at, s.updated_at
            FROM pledges s JOIN campaigns c ON c.id = s.campaign_id JOIN products p ON p.sku = c.sku
            LEFT JOIN pledge_lines l ON l.pledge_id = s.id AND l.sku = ?1
            WHERE \(filter) AND (s.price_delta_minor IS NULL OR l.pledge_id IS NOT NULL) ORDER BY s.campaign_id, s.id
            """
        // `?1` comes first in the text, so the filter's `?` number on from 2.
        try connection.forEachRow(pledgeSQL, sku.map { [.text($0)] + values } ?? values) { row in
            let campaignID = row.int(0)
            guard let position = index[campaignID] else { return }
            if campaignID != currentCampaign { groups.removeAll(keepingCapacity: true); currentCampaign = campaignID }
            let key = CampaignHistoryRecord.PledgeRecord(
                quantity: row.int(1), depositMinor: row.int(2), viaLeader: row.int(3) != 0,
                status: PledgeStatus(rawValue: row.string(4)) ?? .pledged, createdAt: row.int(5), cancelledAt: row.int(6))
            if let existing = groups[key] {
                records[position].pledges[existing].count += 1
            } else {
                groups[key] = records[position].pledges.count
                records[position].pledges.append(key)
            }
        }
        return zip(records, headers).map { ($0, $1.outcomeChanges) }
    }

    /// The campaigns matching `filter`, oldest close first, without pledges; with `outcome_changes`.
    private func historyHeaders(filter: String, _ values: [SQLiteValue]) throws -> [(header: CampaignHistoryRecord, outcomeChanges: Int64)] {
        try connection.query("""
            SELECT c.id, c.sku, p.category, c.status, c.opens_at, c.closes_at, c.closed_at, c.threshold, c.cap, c.deposit_minor,
                   COALESCE(c.final_unit_price_minor,
                            (SELECT unit_price_minor FROM price_tiers t WHERE t.campaign_id = c.id ORDER BY min_quantity LIMIT 1)),
                   COALESCE(c.delivery_at, COALESCE(c.closed_at, c.closes_at) + COALESCE(p.lead_days, 14) * 86400), c.outcome_changes
            FROM campaigns c JOIN products p ON p.sku = c.sku
            WHERE \(filter) ORDER BY c.closes_at, c.id
            """, values) { row in
            (CampaignHistoryRecord(id: row.int(0), sku: row.string(1), category: row.string(2),
                                   status: CampaignStatus(rawValue: row.string(3)) ?? .open, opensAt: row.int(4),
                                   closesAt: row.int(5), closedAt: row.optionalInt(6), threshold: row.int(7),
                                   cap: row.optionalInt(8), depositPerUnitMinor: row.int(9), unitPriceMinor: row.int(10),
                                   pledges: [], deliveryAt: row.optionalInt(11)), row.int(12))
        }
    }

    public func itemLines(campaignID: Int64) throws -> [ItemLineRecord] {
        try connection.query("""
            SELECT l.sku, l.quantity, s.created_at, CASE WHEN s.status = 'cancelled' THEN s.updated_at END
            FROM pledge_lines l JOIN pledges s ON s.id = l.pledge_id WHERE l.campaign_id = ? ORDER BY s.created_at, l.pledge_id, l.line
            """, [.integer(campaignID)]) { ItemLineRecord(sku: $0.string(0), quantity: $0.int(1), createdAt: $0.int(2), cancelledAt: $0.optionalInt(3)) }
    }

    public func itemHistories(style: String?, category: String) throws -> [(campaignID: Int64, sku: String, attributes: String, units: Int64)] {
        // Committed at close: every line of a pledge not cancelled (refunds after the close
        // were demand all the same).
        try connection.query("""
            SELECT l.campaign_id, l.sku, COALESCE(pr.attributes, l.sku), SUM(l.quantity)
            FROM pledge_lines l JOIN pledges s ON s.id = l.pledge_id JOIN campaigns c ON c.id = l.campaign_id
            JOIN products pr ON pr.sku = l.sku
            WHERE c.status IN ('succeeded', 'failed') AND s.status <> 'cancelled'
              AND (?1 IS NULL AND pr.style IS NOT NULL AND pr.category = ?2 OR pr.style = ?1)
            GROUP BY l.campaign_id, l.sku ORDER BY l.campaign_id, l.sku
            """, [SQLiteValue(style), .text(category)]) { ($0.int(0), $0.string(1), $0.string(2), $0.int(3)) }
    }

    /// Units ordered from suppliers for `sku`, with when each order was sent, since `since`.
    public func orderedQuantities(sku: String, since: Int64) throws -> [(createdAt: Int64, quantity: Int64)] {
        try connection.query("""
            SELECT o.created_at, l.order_quantity FROM purchase_order_lines l
            JOIN purchase_orders o ON o.id = l.purchase_order_id
            WHERE l.sku = ? AND o.created_at >= ? ORDER BY o.created_at
            """, [.text(sku), .integer(since)]) { ($0.int(0), $0.int(1)) }
    }


    /// A cheap fingerprint of a category's finished history (an index range scan): forecasts
    /// cached against it are refitted when a campaign in the category closes.
    public func historyVersion(category: String) throws -> String {
        try connection.queryOne("""
            SELECT COUNT(*), COALESCE(MAX(c.closed_at), 0), COALESCE(SUM(c.outcome_changes), 0) FROM campaigns c JOIN products p ON p.sku = c.sku
            WHERE p.category = ? AND c.status IN ('succeeded', 'failed')
            """, [.text(category)]) { "\($0.int(0))-\($0.int(1))-\($0.int(2))" } ?? "0"
    }

    /// Pledges whose status changed after their campaign closed change what its category's
    /// model learned from (`historyVersion`). Pledging and closing do not come here: a close
    /// changes the version by itself.
    func noteOutcomeChanges(of pledges: [Pledge]) throws {
        var changed = 0
        for campaignID in Set(pledges.map(\.campaignID)).sorted() {
            changed += try connection.run("UPDATE campaigns SET outcome_changes = outcome_changes + 1 WHERE id = ? AND status IN ('succeeded', 'failed')",
                                          [.integer(campaignID)])
        }
        if changed > 0 { try noteHistoryChange() }
    }

    /// Moves `finishedHistoryVersion()`: a campaign finished, or a finished one's pledges changed.
    func noteHistoryChange() throws {
        try connection.run("UPDATE history_version SET version = version + 1 WHERE id = 1")
    }

    public func finishedHistoryVersion() throws -> Int64 {
        try connection.scalarInt("SELECT version FROM history_version WHERE id = 1") ?? 0
    }
}
