import TuanDomain
import TuanStore

/// The answer to a subscribe request, and whether it replayed an earlier one.
public struct SubscriptionOutcome: Sendable {
    public var subscription: Subscription
    public var replayed: Bool
}

/// A consumer's change to a running subscription.
public enum SubscriptionChange: Sendable {
    case skip(week: Timestamp)
    case pause(from: Timestamp?, until: Timestamp?)
    case resume
    case cancel
}

extension Database {
    /// Creates a subscription and takes its deposit, idempotently per (`scope`, key).
    public func insertSubscription(_ request: SubscriptionRequest, scope: String, idempotencyKey: String,
                                   at now: Timestamp) throws -> SubscriptionOutcome {
        let fingerprint = Self.fingerprint(of: request)
        if let existing = try connection.queryOne(
            "SELECT id, fingerprint FROM subscriptions WHERE idempotency_scope = ? AND idempotency_key = ?",
            [.text(scope), .text(idempotencyKey)], { ($0.int(0), $0.string(1)) }) {
            guard existing.1 == fingerprint else {
                throw DomainError(.idempotencyConflict, field: "Idempotency-Key",
                                  "this Idempotency-Key was already used with a different request")
            }
            return SubscriptionOutcome(subscription: try requireSubscription(id: existing.0), replayed: true)
        }
        let product = try requireProduct(sku: request.sku)
        guard product.unitCost.currency == request.unitPrice.currency else {
            throw DomainError.invalid("unit_price_minor", "must be in \(product.unitCost.currency), the product's currency")
        }
        try request.checkSupplierTotal(runningUnits: try subscribedUnits(supplierID: product.supplierID))
        var placed = request
        placed.pickupPoint = try pickupPoint(leaderCode: request.leaderCode, given: request.pickupPoint)
        let id = try connection.insert("""
            INSERT INTO subscriptions(consumer_id, sku, quantity, cadence_weeks, first_week, periods, unit_price_minor, deposit_minor,
                                      currency, leader_code, pickup_point, status, idempotency_scope, idempotency_key, fingerprint,
                                      created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?)
            """, [.text(placed.consumerID), .text(placed.sku), .integer(placed.quantity), .integer(placed.cadenceWeeks),
                  .integer(placed.firstWeek.seconds), SQLiteValue(placed.periods), .integer(placed.unitPrice.minor),
                  .integer(placed.deposit.minor), .text(placed.unitPrice.currency.code), SQLiteValue(placed.leaderCode),
                  SQLiteValue(placed.pickupPoint), .text(scope), .text(idempotencyKey), .text(fingerprint),
                  .integer(now.seconds), .integer(now.seconds)])
        let subscription = Subscription(id: id, request: placed, at: now)
        if !subscription.deposit.isZero { try post(.subscriptionDepositReceived(subscription), at: now) }
        return SubscriptionOutcome(subscription: subscription, replayed: false)
    }

    /// Applies a skip, pause, resume or cancellation; a cancellation with nothing left to deliver
    /// ends the subscription and returns its deposit at once.
    public func changeSubscription(id: Int64, _ change: SubscriptionChange, policy: SubscriptionPolicy = .standard,
                                   at now: Timestamp) throws -> Subscription {
        let current = try requireSubscription(id: id)
        let next: Subscription = switch change {
        case .skip(let week): try current.skipping(week, policy: policy, at: now)
        case .pause(let from, let until): try current.pausing(from: from, until: until, policy: policy, at: now)
        case .resume: try current.resuming(policy: policy, at: now)
        case .cancel: try current.cancelling(policy: policy, at: now)
        }
        try saveSubscription(next)
        for week in next.skippedWeeks.subtracting(current.skippedWeeks) {
            try connection.run("INSERT OR IGNORE INTO subscription_skips(subscription_id, week) VALUES (?, ?)",
                               [.integer(id), .integer(week.seconds)])
        }
        if next.status == .ended, current.status != .ended, !next.deposit.isZero {
            try post(.subscriptionDepositRefunded(next), at: now)
        }
        return next
    }

    public func subscription(id: Int64) throws -> Subscription? {
        guard var subscription = try connection.queryOne(Self.subscriptionColumns + " WHERE id = ?", [.integer(id)], Self.subscription)
        else { return nil }
        subscription.skippedWeeks = try skippedWeeks(subscriptionID: id)
        return subscription
    }

    public func requireSubscription(id: Int64) throws -> Subscription {
        guard let subscription = try subscription(id: id) else {
            throw DomainError(.notFound, field: "subscription_id", "subscription \(id) does not exist")
        }
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
    func subscribedUnits(supplierID: Int64) throws -> Int64 {
        try connection.scalarInt("""
            SELECT COALESCE(SUM(s.quantity), 0) FROM subscriptions s JOIN products p ON p.sku = s.sku
            WHERE p.supplier_id = ? AND s.status <> 'ended'
            """, [.integer(supplierID)]) ?? 0
    }

    public func subscribedSKUs() throws -> [String] {
        try connection.query("SELECT sku FROM subscriptions WHERE status <> 'ended' GROUP BY sku ORDER BY MIN(id)") { $0.string(0) }
    }

    /// Weeks whose cut-off has passed at `now` and that have not been cut off yet, oldest first.
    /// A server that was down catches up week by week; nothing is skipped.
    public func subscriptionWeeksDue(policy: SubscriptionPolicy = .standard, at now: Timestamp) throws -> [Timestamp] {
        let latest = policy.lastCutOffWeek(at: now)
        let start: Int64
        if let done = try connection.scalarInt("SELECT MAX(week) FROM subscription_cut_offs") {
            start = done + Week.seconds
        } else if let first = try connection.scalarInt("SELECT MIN(first_week) FROM subscriptions WHERE status <> 'ended'") {
            start = first
        } else {
            return []
        }
        return stride(from: start, through: latest.seconds, by: Int(Week.seconds)).map(Timestamp.init(seconds:))
    }

    /// Cuts off one week in the caller's transaction: that week's purchase orders (one per
    /// supplier, each with its outbox message), the deliveries, the subscriptions' progress and
    /// the ledger. Cutting the same week twice is refused by the primary key.
    public func cutOffSubscriptions(week: Timestamp, at now: Timestamp) throws -> SubscriptionCutOff {
        if try connection.scalarInt("SELECT 1 FROM subscription_cut_offs WHERE week = ?", [.integer(week.seconds)]) != nil {
            throw DomainError(.invalidTransition, "the week of \(week) was already cut off")
        }
        let candidates = try subscriptions(running: true, limit: .max).filter { $0.firstWeek <= week }
        var products: [String: Product] = [:]
        for sku in Set(candidates.map(\.sku)) { products[sku] = try requireProduct(sku: sku) }
        var cutOff = try SubscriptionCutOff.cut(week: week, subscriptions: candidates, products: products, at: now)
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
                      .integer(orderBySKU[skuBySubscription[delivery.subscriptionID]!]!)])
        }
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
    public func deliveries(subscriptionID: Int64) throws -> [(week: Timestamp, quantity: Int64, purchaseOrderID: Int64)] {
        try connection.query("""
            SELECT week, quantity, purchase_order_id FROM subscription_deliveries WHERE subscription_id = ? ORDER BY week
            """, [.integer(subscriptionID)]) { (Timestamp(seconds: $0.int(0)), $0.int(1), $0.int(2)) }
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

    private static func fingerprint(of r: SubscriptionRequest) -> String {
        [r.consumerID, r.sku, String(r.quantity), String(r.cadenceWeeks), String(r.firstWeek.seconds), r.periods.map(String.init) ?? "",
         String(r.unitPrice.minor), String(r.deposit.minor), r.leaderCode ?? "", r.pickupPoint ?? ""]
            .map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
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
        // Rebuilt without re-validating the start against today's cut-off: it was valid when made.
        var s = Subscription(id: row.int(0), request: try SubscriptionRequest(
            consumerID: row.string(1), sku: row.string(2), quantity: row.int(3), cadenceWeeks: row.int(4), start: first,
            periods: row.optionalInt(6), unitPrice: Money(minor: row.int(7), currency: currency),
            deposit: Money(minor: row.int(8), currency: currency), leaderCode: row.optionalString(10),
            pickupPoint: row.optionalString(11), policy: SubscriptionPolicy(cutOffLeadSeconds: 0, noticeSeconds: 0),
            at: first.adding(seconds: -1)), at: created)
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
