import TuanDomain
import TuanStore

/// Writes a large planning history straight into the tables a plan reads (suppliers, products,
/// campaigns with their tiers, pledges, purchase orders), a few hundred thousand rows per
/// transaction: what `Scripts/bench-forecast` needs to time plans for 10 000 SKUs, which the
/// use cases (one fsync per campaign) would take an hour to build. It is a bench fixture, not a
/// history Tuan could have made: there is no ledger, no events, no outbox, and `tuan ledger`
/// on it is meaningless. Seeded: the same spec writes the same rows.
public struct SyntheticHistoryWriter {
    public struct Spec: Sendable {
        public var seed: UInt64 = 2026
        public var skus = 10_000
        public var categories = 50
        public var weeks = 52
        /// One campaign per SKU every `campaignDays`, open for `openDays` of them: a large
        /// catalogue has a seventh of its SKUs on sale at any moment (about 1 400 of 10 000).
        public var campaignDays: Int64 = 14
        public var openDays: Int64 = 2
        /// Pledges per campaign, around a per-SKU level.
        public var meanPledges = 15
        public var now: Int64

        public init(now: Int64) { self.now = now }
    }

    public struct Summary: Sendable {
        public var products = 0, campaigns = 0, live = 0, pledges = 0, orders = 0
    }

    let connection: SQLiteConnection

    public init(path: String) throws { connection = try SQLiteConnection(path: path) }

    public func write(_ spec: Spec) throws -> Summary {
        guard try connection.scalarInt("SELECT COUNT(*) FROM products") == 0 else {
            throw DomainError(.conflict, "the database already has products; write the history into a fresh --db")
        }
        var random = SeededGenerator(seed: spec.seed)
        var summary = Summary()
        let start = spec.now - Int64(spec.weeks) * 7 * 86_400
        try connection.execute("BEGIN")
        var pending = 0
        func commitEvery(_ rows: Int) throws {
            pending += rows
            guard pending >= 200_000 else { return }
            try connection.execute("COMMIT")
            try connection.execute("BEGIN")
            pending = 0
        }
        let suppliers = max(1, spec.categories / 5)
        for index in 0..<suppliers {
            _ = try connection.insert("INSERT INTO suppliers(id, name, webhook_secret, created_at) VALUES (?, ?, 'whsec_YmVuY2g=', ?)",
                                      [.integer(Int64(index + 1)), .text("Bench supplier \(index + 1)"), .integer(start)])
        }
        var campaignID: Int64 = 0, pledgeID: Int64 = 0, orderID: Int64 = 0
        for index in 0..<spec.skus {
            let category = index % spec.categories
            let sku = "c\(category)-\(index + 1)", casePack = [Int64(1), 6, 12][index % 3]
            let price = Int64.random(in: 1_000...20_000, using: &random) / 10 * 10, cost = price * 55 / 100
            try connection.run("""
                INSERT INTO products(sku, supplier_id, name, case_pack, minimum_order_quantity, unit_cost_minor, currency, category, created_at)
                VALUES (?, ?, ?, ?, 0, ?, 'CNY', ?, ?)
                """, [.text(sku), .integer(Int64(category % suppliers + 1)), .text("Bench item \(index + 1)"), .integer(casePack),
                      .integer(cost), .text("cat-\(category)"), .integer(start)])
            summary.products += 1
            // A SKU's pull around its category's, and a threshold set from the category.
            let level = Double(spec.meanPledges) * (0.5 + Double(category % 7) / 6) * Double.random(in: 0.4...1.8, using: &random)
            let threshold = Int64(Double(spec.meanPledges) * 2.2 * (0.5 + Double(category % 7) / 6))
            var opensAt = start + Int64.random(in: 0..<spec.campaignDays, using: &random) * 86_400
            while opensAt < spec.now {
                let closesAt = opensAt + spec.openDays * 86_400
                let live = closesAt > spec.now
                campaignID += 1
                let count = max(0, Int((level * Double.random(in: 0.5...1.5, using: &random)).rounded()))
                var pledged: Int64 = 0, pledges: [(quantity: Int64, at: Int64, leader: Bool, cancelled: Bool)] = []
                for _ in 0..<count {
                    let at = opensAt + Int64(Double(closesAt - opensAt) * Double.random(in: 0..<1, using: &random))
                    guard at < spec.now else { continue }
                    let quantity = Int64.random(in: 1...3, using: &random)
                    let cancelled = Double.random(in: 0..<1, using: &random) < 0.05
                    if !cancelled { pledged += quantity }
                    pledges.append((quantity, at, Bool.random(using: &random), cancelled))
                }
                let status = live ? "open" : (pledged >= threshold ? "succeeded" : "failed")
                try connection.run("""
                    INSERT INTO campaigns(id, sku, title, currency, opens_at, closes_at, cancellation_deadline, balance_due_at, threshold,
                                          deposit_minor, max_per_pledge, forfeit_on_default, status, pledged_quantity, pledge_count,
                                          final_unit_price_minor, closed_at, created_at)
                    VALUES (?, ?, ?, 'CNY', ?, ?, ?, ?, ?, 100, 100, 1, ?, ?, ?, ?, ?, ?)
                    """, [.integer(campaignID), .text(sku), .text("Bench \(sku) #\(campaignID)"), .integer(opensAt), .integer(closesAt),
                          .integer(closesAt), .integer(closesAt + 3 * 86_400), .integer(threshold), .text(status), .integer(pledged),
                          .integer(Int64(pledges.filter { !$0.cancelled }.count)), status == "succeeded" ? .integer(price) : .null,
                          live ? .null : .integer(closesAt), .integer(opensAt - 3_600)])
                try connection.run("INSERT INTO price_tiers(campaign_id, min_quantity, unit_price_minor) VALUES (?, 1, ?)",
                                   [.integer(campaignID), .integer(price)])
                for pledge in pledges {
                    pledgeID += 1
                    let pledgeStatus: String
                    if pledge.cancelled { pledgeStatus = "cancelled" }
                    else if live { pledgeStatus = "pledged" }
                    else if status == "failed" { pledgeStatus = "refunded" }
                    else {
                        let roll = Double.random(in: 0..<1, using: &random)
                        pledgeStatus = roll < 0.8 ? "paid" : (roll < 0.9 ? "defaulted" : "confirmed")
                    }
                    try connection.run("""
                        INSERT INTO pledges(id, campaign_id, consumer_id, quantity, deposit_minor, currency, leader_code, idempotency_scope,
                                            idempotency_key, fingerprint, status, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, 'CNY', ?, 'bench', ?, 'bench', ?, ?, ?)
                        """, [.integer(pledgeID), .integer(campaignID), .text("u\(pledgeID % 50_000)"), .integer(pledge.quantity),
                              .integer(100 * pledge.quantity), pledge.leader ? .text("l\(category)") : .null, .text("\(pledgeID)"),
                              .text(pledgeStatus), .integer(pledge.at), .integer(pledge.cancelled ? min(spec.now, pledge.at + 3_600) : pledge.at)])
                }
                summary.pledges += pledges.count
                if status == "succeeded" {
                    orderID += 1
                    let confirmed = pledged, ordered = (pledged + casePack - 1) / casePack * casePack
                    try connection.run("""
                        INSERT INTO purchase_orders(id, supplier_id, campaign_id, currency, requested_delivery_at, status, created_at)
                        VALUES (?, ?, ?, 'CNY', ?, 'accepted', ?)
                        """, [.integer(orderID), .integer(Int64(category % suppliers + 1)), .integer(campaignID),
                              .integer(closesAt + 14 * 86_400), .integer(closesAt)])
                    try connection.run("""
                        INSERT INTO purchase_order_lines(purchase_order_id, line_no, sku, product_name, confirmed_quantity, order_quantity,
                                                         unit_cost_minor, unit_price_minor, accepted_quantity)
                        VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?)
                        """, [.integer(orderID), .text(sku), .text("Bench item \(index + 1)"), .integer(confirmed), .integer(ordered),
                              .integer(cost), .integer(price), .integer(ordered)])
                    summary.orders += 1
                }
                summary.campaigns += 1
                if live { summary.live += 1 }
                try commitEvery(2 + pledges.count)
                opensAt += spec.campaignDays * 86_400
            }
        }
        try connection.execute("UPDATE history_version SET version = version + 1 WHERE id = 1")
        try connection.execute("COMMIT")
        try connection.execute("ANALYZE")
        return summary
    }
}
