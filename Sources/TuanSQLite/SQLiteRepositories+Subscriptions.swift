import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    public func subscription(idempotencyScope scope: String, key: String) throws -> (id: Int64, fingerprint: String)? {
        try connection.queryOne("SELECT id, fingerprint FROM subscriptions WHERE idempotency_scope = ? AND idempotency_key = ?",
                                [.text(scope), .text(key)]) { ($0.int(0), $0.string(1)) }
    }

    public func insertSubscription(_ s: Subscription, scope: String, idempotencyKey: String, fingerprint: String,
                                   at now: Timestamp) throws -> Subscription {
        var saved = s
        saved.id = try connection.insert("""
            INSERT INTO subscriptions(consumer_id, sku, quantity, cadence_weeks, first_week, periods, unit_price_minor, deposit_minor,
                                      currency, leader_code, pickup_point, status, idempotency_scope, idempotency_key, fingerprint,
                                      created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(s.consumerID), .text(s.sku), .integer(s.quantity), .integer(s.cadenceWeeks),
                  .integer(s.firstWeek.seconds), SQLiteValue(s.periods), .integer(s.unitPrice.minor),
                  .integer(s.deposit.minor), .text(s.unitPrice.currency.code), SQLiteValue(s.leaderCode),
                  SQLiteValue(s.pickupPoint), .text(s.status.rawValue), .text(scope), .text(idempotencyKey), .text(fingerprint),
                  .integer(now.seconds), .integer(now.seconds)])
        return saved
    }

    /// Saves the status and progress, and the weeks newly skipped.
    public func saveSubscription(_ next: Subscription, previous: Subscription) throws {
        try saveSubscription(next)
        for week in next.skippedWeeks.subtracting(previous.skippedWeeks) {
            try connection.run("INSERT OR IGNORE INTO subscription_skips(subscription_id, week) VALUES (?, ?)",
                               [.integer(next.id), .integer(week.seconds)])
        }
    }

    public func subscription(id: Int64) throws -> Subscription? {
        guard var subscription = try connection.queryOne(Self.subscriptionColumns + " WHERE id = ?", [.integer(id)], Self.subscription)
        else { return nil }
        subscription.skippedWeeks = try skippedWeeks(subscriptionID: id)
        return subscription
    }

    /// Subscriptions, oldest first, optionally of one SKU, consumer or status; `running` keeps
    /// those not ended.
    public func subscriptions(sku: String? = nil, consumerID: String? = nil, status: Subscription.Status? = nil,
                              running: Bool = false, limit: Int = 1_000) throws -> [Subscription] {
        var list = try connection.query(Self.subscriptionColumns + """
             WHERE (?1 IS NULL OR sku = ?1) AND (?2 IS NULL OR consumer_id = ?2) AND (?3 IS NULL OR status = ?3)
               AND (?4 = 0 OR status <> 'ended')
             ORDER BY id LIMIT ?5
            """, [SQLiteValue(sku), SQLiteValue(consumerID), SQLiteValue(status?.rawValue), .integer(running ? 1 : 0),
                  .integer(Int64(limit))], Self.subscription)
        // One primary-key range per listed subscription, not a scan of every skip ever made.
        for index in list.indices { list[index].skippedWeeks = try skippedWeeks(subscriptionID: list[index].id) }
        return list
    }

    /// The SKUs running subscriptions stand for, in order of first subscription.
    /// Units per delivery asked by the supplier's subscriptions that have not ended.
    public func subscribedUnits(supplierID: Int64) throws -> Int64 {
        try connection.scalarInt("""
            SELECT COALESCE(SUM(s.quantity), 0) FROM subscriptions s JOIN products p ON p.sku = s.sku
            WHERE p.supplier_id = ? AND s.status <> 'ended'
            """, [.integer(supplierID)]) ?? 0
    }

    public func subscribedSKUs() throws -> [String] {
        try connection.query("SELECT sku FROM subscriptions WHERE status <> 'ended' GROUP BY sku ORDER BY MIN(id)") { $0.string(0) }
    }

    public func cutOffProgress() throws -> (lastCutWeek: Timestamp?, firstRunningWeek: Timestamp?) {
        (try connection.scalarInt("SELECT MAX(week) FROM subscription_cut_offs").map(Timestamp.init(seconds:)),
         try connection.scalarInt("SELECT MIN(first_week) FROM subscriptions WHERE status <> 'ended'").map(Timestamp.init(seconds:)))
    }

    public func isCutOff(week: Timestamp) throws -> Bool {
        try connection.scalarInt("SELECT 1 FROM subscription_cut_offs WHERE week = ?", [.integer(week.seconds)]) != nil
    }

    /// Stores a decided cut-off: the orders (with their outbox messages) first, then each
    /// delivery with its order, the subscriptions' progress, the ledger and the week's record
    /// (whose primary key refuses a second cut of the same week).
    public func saveCutOff(_ decided: SubscriptionCutOff, week: Timestamp, previous candidates: [Subscription],
                           at now: Timestamp) throws -> SubscriptionCutOff {
        var cutOff = decided
        var orderBySKU: [String: Int64] = [:]
        for index in cutOff.orders.indices {
            cutOff.orders[index] = try insertPurchaseOrder(cutOff.orders[index])
            for line in cutOff.orders[index].lines { orderBySKU[line.sku] = cutOff.orders[index].id }
        }
        let skuBySubscription = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id, $0.sku) })
        for delivery in cutOff.deliveries {
            try connection.run("""
                INSERT INTO subscription_deliveries(subscription_id, week, quantity, purchase_order_id) VALUES (?, ?, ?, ?)
                """, [.integer(delivery.subscriptionID), .integer(week.seconds), .integer(delivery.quantity),
                      SQLiteValue(orderBySKU[skuBySubscription[delivery.subscriptionID]!])])
        }
        // A cycled supplier's deliveries wait without an order, for the member's cut-off.
        for member in cutOff.cycleMembers { try insertCycleMember(member, at: now) }
        for subscription in cutOff.subscriptions { try saveSubscription(subscription) }
        for entry in cutOff.journal { try post(entry, at: now) }
        try connection.run("INSERT INTO subscription_cut_offs(week, cut_at, deliveries, orders) VALUES (?, ?, ?, ?)",
                           [.integer(week.seconds), .integer(now.seconds), .integer(Int64(cutOff.deliveries.count)),
                            .integer(Int64(cutOff.orders.count))])
        return cutOff
    }

    /// Units of `sku` already cut off per delivery week, from `from` on.
    public func subscriptionDeliveries(sku: String, from: Timestamp) throws -> [(week: Timestamp, quantity: Int64)] {
        try connection.query("""
            SELECT d.week, SUM(d.quantity) FROM subscription_deliveries d JOIN subscriptions s ON s.id = d.subscription_id
            WHERE s.sku = ? AND d.week >= ? GROUP BY d.week ORDER BY d.week
            """, [.text(sku), .integer(from.seconds)]) { (Timestamp(seconds: $0.int(0)), $0.int(1)) }
    }

    /// The weeks a subscription was delivered in, with their order.
    public func deliveries(subscriptionID: Int64) throws -> [(week: Timestamp, quantity: Int64, purchaseOrderID: Int64?)] {
        try connection.query("""
            SELECT week, quantity, purchase_order_id FROM subscription_deliveries WHERE subscription_id = ? ORDER BY week
            """, [.integer(subscriptionID)]) { (Timestamp(seconds: $0.int(0)), $0.int(1), $0.optionalInt(2)) }
    }

    private func skippedWeeks(subscriptionID: Int64) throws -> Set<Timestamp> {
        Set(try connection.query("SELECT week FROM subscription_skips WHERE subscription_id = ?", [.integer(subscriptionID)]) {
            Timestamp(seconds: $0.int(0))
        })
    }

    private func saveSubscription(_ s: Subscription) throws {
        try connection.run("""
            UPDATE subscriptions SET status = ?, paused_from = ?, paused_until = ?, last_week = ?, delivered_count = ?,
                                     cut_off_through = ?, updated_at = ?
            WHERE id = ?
            """, [.text(s.status.rawValue), SQLiteValue(s.pausedFrom?.seconds), SQLiteValue(s.pausedUntil?.seconds),
                  SQLiteValue(s.lastWeek?.seconds), .integer(s.deliveredCount), SQLiteValue(s.cutOffThrough?.seconds),
                  .integer(s.updatedAt.seconds), .integer(s.id)])
    }

    static let subscriptionColumns = """
        SELECT id, consumer_id, sku, quantity, cadence_weeks, first_week, periods, unit_price_minor, deposit_minor, currency,
               leader_code, pickup_point, status, paused_from, paused_until, last_week, delivered_count, cut_off_through,
               created_at, updated_at
        FROM subscriptions
        """

    static func subscription(_ row: Row) throws -> Subscription {
        let currency = Currency(restoring: row.string(9))
        let first = Timestamp(seconds: row.int(5)), created = Timestamp(seconds: row.int(18))
        var s = Subscription(id: row.int(0), request: SubscriptionRequest(
            restoringConsumerID: row.string(1), sku: row.string(2), quantity: row.int(3), cadenceWeeks: row.int(4), firstWeek: first,
            periods: row.optionalInt(6), unitPrice: Money(minor: row.int(7), currency: currency),
            deposit: Money(minor: row.int(8), currency: currency), leaderCode: row.optionalString(10),
            pickupPoint: row.optionalString(11)), at: created)
        guard let status = Subscription.Status(rawValue: row.string(12)) else {
            throw StoreInvariantError("unknown subscription status \(row.string(12))")
        }
        s.status = status
        s.pausedFrom = row.optionalInt(13).map(Timestamp.init(seconds:))
        s.pausedUntil = row.optionalInt(14).map(Timestamp.init(seconds:))
        s.lastWeek = row.optionalInt(15).map(Timestamp.init(seconds:))
        s.deliveredCount = row.int(16)
        s.cutOffThrough = row.optionalInt(17).map(Timestamp.init(seconds:))
        s.updatedAt = Timestamp(seconds: row.int(19))
        return s
    }
}
