/// One week's cut-off: every subscription delivering that week, folded into one purchase order
/// per supplier (and currency) with one line per SKU (rounded to case pack and MOQ, the surplus shown) and a
/// breakdown per pickup point, plus the ledger entries and the subscriptions' new state.
public struct SubscriptionCutOff: Sendable {
    public var week: Timestamp
    /// Orders with id 0 until stored, one per supplier, by supplier id.
    public var orders: [PurchaseOrder]
    /// Every subscription looked at, with its count and `cutOffThrough` moved on; those with
    /// nothing left to deliver are `ended`.
    public var subscriptions: [Subscription]
    /// (subscription id, quantity) delivered this week.
    public var deliveries: [(subscriptionID: Int64, quantity: Int64)]
    public var journal: [JournalEntry]
    /// Suppliers with a daily cut-off (`cycles`) get no order now: their week waits for the
    /// cut-off before its delivery day, which orders it with that day's campaigns.
    public var cycleMembers: [OrderCycleMember] = []

    /// Cuts off `week` for `subscriptions` (those not ended, whose first week is not after it).
    /// `products` must hold every SKU they name.
    public static func cut(week: Timestamp, subscriptions: [Subscription], products: [String: Product], weeks: WeekGrid = .utc,
                           cycles: [Int64: OrderCycle] = [:], at now: Timestamp) throws(DomainError) -> SubscriptionCutOff {
        precondition(weeks.isStart(week), "a cut-off is for a week start on the deployment's grid")
        var updated: [Subscription] = []
        var deliveries: [(subscriptionID: Int64, quantity: Int64)] = []
        var journal: [JournalEntry] = []
        var bySKU: [String: [Subscription]] = [:]
        for subscription in subscriptions.sorted(by: { $0.id < $1.id }) {
            guard subscription.status != .ended, subscription.firstWeek <= week,
                  subscription.cutOffThrough.map({ $0 < week }) ?? true else { continue }
            var next = subscription
            if subscription.delivers(week, deliveredBefore: subscription.deliveredCount, weeks: weeks) {
                next.deliveredCount += 1
                deliveries.append((subscription.id, subscription.quantity))
                bySKU[subscription.sku, default: []].append(subscription)
            }
            next.cutOffThrough = week
            // A pause with an end is over once the week before its end is cut off.
            if next.status == .paused, let until = next.pausedUntil, weeks.next(after: week) >= until {
                next.status = .active
                next.pausedFrom = nil
                next.pausedUntil = nil
            }
            if next.isFinished(after: week, deliveredCount: next.deliveredCount) {
                next.status = .ended
                if !next.deposit.isZero { journal.append(try .subscriptionDepositRefunded(next)) }
            }
            next.updatedAt = now
            updated.append(next)
        }

        struct OrderKey: Hashable, Comparable {
            var supplierID: Int64, currency: String
            static func < (a: OrderKey, b: OrderKey) -> Bool { (a.supplierID, a.currency) < (b.supplierID, b.currency) }
        }
        var linesBySupplier: [OrderKey: [PurchaseOrder.Line]] = [:]
        for sku in bySKU.keys.sorted() {
            guard let product = products[sku] else { throw DomainError(.notFound, field: "sku", "product \(sku) does not exist") }
            let members = bySKU[sku]!
            // Checked sums: subscriptions are bounded one by one, not in number, so a week
            // with enough of them refuses (amount_overflow) instead of trapping.
            var confirmed: Int64 = 0
            var revenue = Money.zero(product.unitCost.currency)
            for member in members {
                let (units, overflow) = confirmed.addingReportingOverflow(member.quantity)
                guard !overflow else { throw DomainError(.overflow, field: "quantity", "units of \(sku) for the week of \(week) overflow") }
                confirmed = units
                revenue = try revenue.adding(member.periodPrice())
            }
            let orderQuantity = try product.orderQuantity(forDemand: confirmed)
            // The unit price shown to the supplier is the subscribers' average, rounded down.
            let line = try PurchaseOrder.Line(
                sku: sku, productName: product.name, confirmedQuantity: confirmed, orderQuantity: orderQuantity,
                unitCost: product.unitCost, unitPrice: Money(minor: revenue.minor / confirmed, currency: product.unitCost.currency),
                destinations: AggregatedDemand.Destination.grouping(members.map { ($0.pickupPoint, $0.leaderCode, $0.quantity) }))
            linesBySupplier[OrderKey(supplierID: product.supplierID, currency: product.unitCost.currency.code), default: []].append(line)
        }
        var orders: [PurchaseOrder] = []
        var members: [OrderCycleMember] = []
        for key in linesBySupplier.keys.sorted() {
            let lines = linesBySupplier[key]!
            if let cycle = cycles[key.supplierID], let cutOff = cycle.cutOff(forDeliveryAt: week, after: now) {
                if !members.contains(where: { $0.supplierID == key.supplierID }) {
                    members.append(OrderCycleMember(supplierID: key.supplierID, cutOffAt: cutOff, deliveryAt: week, subscriptionWeek: week))
                }
                continue
            }
            var order = try PurchaseOrder(id: 0, supplierID: key.supplierID, campaignID: nil, currency: lines[0].unitCost.currency,
                                      lines: lines, requestedDeliveryAt: week, createdAt: now)
            order.subscriptionWeek = week
            let cost = order.totalCost
            if !cost.isZero {
                journal.append(try .supplierPayable(campaignID: nil, cost: cost,
                                                    memo: "subscriptions for the week of \(week): \(lines.count) line(s)"))
            }
            orders.append(order)
        }
        return SubscriptionCutOff(week: week, orders: orders, subscriptions: updated, deliveries: deliveries, journal: journal,
                                  cycleMembers: members)
    }
}

extension SubscriptionCutOff {
    /// Once stored (orders with their ids): each order, and each subscription delivered this
    /// week as the cut-off left it (its count, and `ended` when nothing is left to deliver).
    public var events: [DomainEvent] {
        let delivered = Set(deliveries.map(\.subscriptionID))
        return orders.map { .purchaseOrder(.purchaseOrderCreated, $0) }
            + subscriptions.filter { delivered.contains($0.id) }.map { .subscription(.subscriptionCutOff, $0) }
    }
}
