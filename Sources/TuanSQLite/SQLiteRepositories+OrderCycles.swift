import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    public func setSupplierOrderCycle(id: Int64, _ cycle: OrderCycle) throws {
        try connection.run("UPDATE suppliers SET order_cut_off_minute = ?, utc_offset_minutes = ? WHERE id = ?",
                           [SQLiteValue(cycle.minuteOfDay), .integer(cycle.utcOffsetMinutes), .integer(id)])
    }

    public func insertCycleMember(_ member: OrderCycleMember, at now: Timestamp) throws {
        do {
            try connection.run("""
                INSERT INTO order_cycle_members(supplier_id, cut_off_at, delivery_at, campaign_id, subscription_week, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, [.integer(member.supplierID), .integer(member.cutOffAt.seconds), .integer(member.deliveryAt.seconds),
                      SQLiteValue(member.campaignID), SQLiteValue(member.subscriptionWeek?.seconds), .integer(now.seconds)])
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw RepositoryConflict.changedMeanwhile
        }
    }

    public func dueCutOffs(at now: Timestamp, limit: Int) throws -> [SupplierCutOff] {
        try connection.query("""
            SELECT supplier_id, cut_off_at FROM order_cycle_members
            WHERE cut_at IS NULL AND cut_off_at <= ?
            GROUP BY cut_off_at, supplier_id ORDER BY cut_off_at, supplier_id LIMIT ?
            """, [.integer(now.seconds), .integer(Int64(limit))]) { SupplierCutOff(supplierID: $0.int(0), cutOffAt: Timestamp(seconds: $0.int(1))) }
    }

    public func nextCutOffDue() throws -> Timestamp? {
        try connection.scalarInt("SELECT MIN(cut_off_at) FROM order_cycle_members WHERE cut_at IS NULL")
            .map(Timestamp.init(seconds:))
    }

    public func pendingCycleMembers(supplierID: Int64, cutOffAt: Timestamp) throws -> [OrderCycleMember] {
        try connection.query(Self.memberColumns + """
             WHERE cut_at IS NULL AND cut_off_at = ? AND supplier_id = ? ORDER BY id
            """, [.integer(cutOffAt.seconds), .integer(supplierID)], Self.member)
    }

    public func cycleMember(campaignID: Int64) throws -> OrderCycleMember? {
        try connection.queryOne(Self.memberColumns + " WHERE campaign_id = ?", [.integer(campaignID)], Self.member)
    }

    public func assignCycleMembers(_ memberIDs: [Int64], purchaseOrderID: Int64?, at now: Timestamp) throws {
        for id in memberIDs {
            let changed = try connection.run("UPDATE order_cycle_members SET purchase_order_id = ?, cut_at = ? WHERE id = ? AND cut_at IS NULL",
                                             [SQLiteValue(purchaseOrderID), .integer(now.seconds), .integer(id)])
            guard changed == 1 else { throw RepositoryConflict.changedMeanwhile }
        }
    }

    public func pendingSubscriptionDeliveries(supplierID: Int64, week: Timestamp) throws -> [SubscriptionDelivery] {
        try deliveries(where: """
            d.week = ? AND d.purchase_order_id IS NULL AND s.sku IN (SELECT sku FROM products WHERE supplier_id = ?)
            """, [.integer(week.seconds), .integer(supplierID)])
    }

    public func assignSubscriptionDeliveries(_ deliveries: [SubscriptionDelivery], purchaseOrderID: Int64) throws {
        for delivery in deliveries {
            let changed = try connection.run("""
                UPDATE subscription_deliveries SET purchase_order_id = ? WHERE subscription_id = ? AND week = ? AND purchase_order_id IS NULL
                """, [.integer(purchaseOrderID), .integer(delivery.subscription.id), .integer(delivery.week.seconds)])
            guard changed == 1 else { throw RepositoryConflict.changedMeanwhile }
        }
    }

    public func subscriptionDeliveries(purchaseOrderID: Int64) throws -> [SubscriptionDelivery] {
        try deliveries(where: "d.purchase_order_id = ?", [.integer(purchaseOrderID)])
    }

    public func markDeliveriesShort(_ deliveries: [SubscriptionDelivery]) throws {
        for delivery in deliveries {
            guard let shortAt = delivery.shortAt else { continue }
            let changed = try connection.run("""
                UPDATE subscription_deliveries SET short_at = ? WHERE subscription_id = ? AND week = ? AND short_at IS NULL
                """, [.integer(shortAt.seconds), .integer(delivery.subscription.id), .integer(delivery.week.seconds)])
            guard changed == 1 else { throw RepositoryConflict.changedMeanwhile }
        }
    }

    /// Deliveries with their subscriptions, by subscription id.
    private func deliveries(where condition: String, _ values: [SQLiteValue]) throws -> [SubscriptionDelivery] {
        try connection.query(Self.deliveryColumns + " WHERE " + condition + " ORDER BY s.id", values) { row in
            SubscriptionDelivery(subscription: try Self.subscription(row), week: Timestamp(seconds: row.int(20)), quantity: row.int(21),
                                 shortAt: row.optionalInt(22).map(Timestamp.init(seconds:)))
        }
    }

    /// `subscriptionColumns` of `s`, then the delivery's week, quantity and short_at.
    static let deliveryColumns = """
        SELECT s.id, s.consumer_id, s.sku, s.quantity, s.cadence_weeks, s.first_week, s.periods, s.unit_price_minor, s.deposit_minor,
               s.currency, s.leader_code, s.pickup_point, s.status, s.paused_from, s.paused_until, s.last_week, s.delivered_count,
               s.cut_off_through, s.created_at, s.updated_at, d.week, d.quantity, d.short_at
        FROM subscription_deliveries d JOIN subscriptions s ON s.id = d.subscription_id
        """

    static let memberColumns = """
        SELECT id, supplier_id, cut_off_at, delivery_at, campaign_id, subscription_week, purchase_order_id, cut_at FROM order_cycle_members
        """

    static func member(_ row: Row) -> OrderCycleMember {
        OrderCycleMember(id: row.int(0), supplierID: row.int(1), cutOffAt: Timestamp(seconds: row.int(2)),
                         deliveryAt: Timestamp(seconds: row.int(3)), campaignID: row.optionalInt(4),
                         subscriptionWeek: row.optionalInt(5).map(Timestamp.init(seconds:)), purchaseOrderID: row.optionalInt(6),
                         cutAt: row.optionalInt(7).map(Timestamp.init(seconds:)))
    }
}
