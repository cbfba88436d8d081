/// A supplier's daily cut-off (`OrderCycle.daily`), decided purely: everything that waited for
/// it (succeeded campaigns, subscription weeks) becomes one purchase order per local delivery
/// day and currency, one line per SKU with its per-destination breakdown, and one outbox
/// message each. The day's total of a SKU is served from stock first and rounded once, by the
/// product's rule, rather than campaign by campaign: ten campaigns of 7 units of a 12-pack
/// order 6 cases, not 10.
///
/// A rule that orders less than is confirmed (down, nearest, drop) refunds the last-arrived
/// pledge lines across the day's campaigns. Subscription deliveries are never cut (they are
/// standing demand, placed weeks ahead): where a cut would need more units than the pledges
/// hold, the line is rounded up instead.
public struct OrderCycleCut: Sendable {
    /// A succeeded campaign waiting for the cut-off, with its confirmed units per destination
    /// of each SKU (summed by the store, never loaded pledge by pledge).
    public struct CampaignDemand: Sendable {
        public var member: OrderCycleMember
        public var campaign: Campaign
        public var destinations: [String: [AggregatedDemand.Destination]]

        public init(member: OrderCycleMember, campaign: Campaign, destinations: [String: [AggregatedDemand.Destination]]) {
            self.member = member
            self.campaign = campaign
            self.destinations = destinations
        }

        public func units(of sku: String) -> Int64 { (destinations[sku] ?? []).reduce(0) { $0 + $1.quantity } }
    }

    /// A subscription week waiting for the cut-off, with its deliveries of the supplier's SKUs.
    public struct WeekDemand: Sendable {
        public var member: OrderCycleMember
        public var deliveries: [SubscriptionDelivery]

        public init(member: OrderCycleMember, deliveries: [SubscriptionDelivery]) {
            self.member = member
            self.deliveries = deliveries
        }
    }

    /// One order the cut-off sends (id 0 until stored), the members it takes and the
    /// subscription deliveries it holds.
    public struct DayOrder: Sendable {
        /// nil when there is nothing to order (stock served the day, or every line was dropped).
        public var order: PurchaseOrder?
        public var memberIDs: [Int64]
        public var deliveries: [SubscriptionDelivery]
    }

    /// One SKU of one order: what is confirmed (pledged and subscribed), what stock serves and
    /// what the rule orders. `tailUnits`: the latest pledges' units to load per campaign when
    /// the rule cuts.
    public struct LinePlan: Sendable, Equatable {
        public var group: Int
        public var sku: String
        public var pledged: Int64
        public var subscribed: Int64
        public var fromStock: Int64
        public var order: Int64
        public var tailUnits: Int64
        public var confirmed: Int64 { pledged + subscribed }
        public var cuts: Bool { order + fromStock < confirmed }
    }

    public var orders: [DayOrder]
    public var journal: [JournalEntry]
    /// Pledges the rounding no longer orders for: refunded whole, or down to the lines that stand.
    public var refunded: [Pledge]
    public var reduced: [Pledge]
    public var stockDeltas: [String: Int64]

    /// The members grouped into orders: by local delivery day, then currency.
    struct Group {
        var day: Int64
        var currency: Currency
        var campaigns: [CampaignDemand] = []
        var weeks: [WeekDemand] = []
        var skus: [String] = []
    }

    static func groups(cycle: OrderCycle, campaigns: [CampaignDemand], weeks: [WeekDemand],
                       products: [String: Product]) throws(DomainError) -> [Group] {
        var groups: [Group] = []
        func index(day: Int64, currency: Currency) -> Int {
            if let found = groups.firstIndex(where: { $0.day == day && $0.currency == currency }) { return found }
            groups.append(Group(day: day, currency: currency))
            return groups.count - 1
        }
        func add(_ sku: String, to group: Int) throws(DomainError) {
            guard products[sku] != nil else { throw DomainError(.notFound, field: "sku", "product \(sku) does not exist") }
            if !groups[group].skus.contains(sku) { groups[group].skus.append(sku) }
        }
        for demand in campaigns.sorted(by: { $0.member.id < $1.member.id }) {
            let skus = demand.campaign.sellsItems ? demand.campaign.items.map(\.sku) : [demand.campaign.sku]
            let group = index(day: cycle.day(of: demand.member.deliveryAt), currency: demand.campaign.schedule.basePrice.currency)
            groups[group].campaigns.append(demand)
            for sku in skus where demand.units(of: sku) > 0 { try add(sku, to: group) }
        }
        for week in weeks.sorted(by: { $0.member.id < $1.member.id }) {
            for currency in Set(week.deliveries.map(\.subscription.currency.code)).sorted() {
                let part = week.deliveries.filter { $0.subscription.currency.code == currency }
                let group = index(day: cycle.day(of: week.member.deliveryAt), currency: part[0].subscription.currency)
                groups[group].weeks.append(WeekDemand(member: week.member, deliveries: part))
                for delivery in part { try add(delivery.sku, to: group) }
            }
        }
        return groups.sorted { ($0.day, $0.currency.code) < ($1.day, $1.currency.code) }
    }

    /// Each order's line plans, stock taken by the earliest delivery day first.
    public static func plans(cycle: OrderCycle, campaigns: [CampaignDemand], weeks: [WeekDemand], products: [String: Product],
                             stock: [String: Int64]) throws(DomainError) -> [LinePlan] {
        try plans(try groups(cycle: cycle, campaigns: campaigns, weeks: weeks, products: products), products: products, stock: stock)
    }

    static func plans(_ groups: [Group], products: [String: Product], stock: [String: Int64]) throws(DomainError) -> [LinePlan] {
        var stock = stock
        var plans: [LinePlan] = []
        for (position, group) in groups.enumerated() {
            for sku in group.skus {
                let product = products[sku]!
                var pledged: Int64 = 0, subscribed: Int64 = 0
                for demand in group.campaigns { pledged = try checkedSum(pledged, demand.units(of: sku), sku) }
                for week in group.weeks {
                    for delivery in week.deliveries where delivery.sku == sku { subscribed = try checkedSum(subscribed, delivery.quantity, sku) }
                }
                let confirmed = try checkedSum(pledged, subscribed, sku)
                var (fromStock, order) = try product.supply(forConfirmed: confirmed, stock: stock[sku] ?? 0)
                // Only pledge lines can be cut: a cut deeper than they go is rounded up instead.
                if confirmed - fromStock - order > pledged { order = try product.orderQuantity(forDemand: confirmed - fromStock) }
                stock[sku, default: 0] -= fromStock
                let longest = group.campaigns.map(\.campaign.maxPerPledge).max() ?? 0
                plans.append(LinePlan(group: position, sku: sku, pledged: pledged, subscribed: subscribed, fromStock: fromStock,
                                      order: order, tailUnits: max(0, confirmed - fromStock - order) + longest))
            }
        }
        return plans
    }

    /// The cut-off: `tail` holds, for each campaign and SKU a plan cuts, the campaign's latest
    /// confirmed pledges holding `tailUnits` of it (with their lines).
    public static func cut(supplierID: Int64, cutOffAt: Timestamp, cycle: OrderCycle, campaigns: [CampaignDemand], weeks: [WeekDemand],
                           products: [String: Product], stock: [String: Int64], tail: [Pledge] = [],
                           at now: Timestamp) throws(DomainError) -> OrderCycleCut {
        let groups = try groups(cycle: cycle, campaigns: campaigns, weeks: weeks, products: products)
        let plans = try plans(groups, products: products, stock: stock)
        var campaignsByID: [Int64: Campaign] = [:]
        for demand in campaigns { campaignsByID[demand.campaign.id] = demand.campaign }
        var allocation = PledgeAllocation(pledges: tail, campaigns: Array(campaignsByID.values))
        var orders: [DayOrder] = []
        var journal: [JournalEntry] = []
        var stockDeltas: [String: Int64] = [:]
        for (position, group) in groups.enumerated() {
            var lines: [PurchaseOrder.Line] = []
            for plan in plans where plan.group == position {
                let product = products[plan.sku]!
                let subscriptionDestinations = AggregatedDemand.Destination.grouping(group.weeks.flatMap(\.deliveries)
                    .filter { $0.sku == plan.sku }.map { ($0.subscription.pickupPoint, $0.subscription.leaderCode, $0.quantity) })
                var pledgeDestinations = AggregatedDemand.Destination.merging(group.campaigns.flatMap { $0.destinations[plan.sku] ?? [] })
                var pledged = plan.pledged
                if plan.cuts {
                    let ids = Set(group.campaigns.map(\.campaign.id))
                    let held = allocation.held(plan.sku, among: ids)
                    // The pledges not loaded are earlier than every line the cut can reach: all of them fit.
                    let room = plan.order + plan.fromStock - plan.subscribed - (plan.pledged - held)
                    guard room >= 0, held >= min(plan.pledged, plan.confirmed - plan.fromStock - plan.order) else {
                        throw DomainError(.conflict, "the pledges loaded for \(plan.sku)'s rounding hold \(held) units, fewer than it cuts")
                    }
                    pledgeDestinations = allocation.cut(plan.sku, room: room, from: pledgeDestinations, among: ids)
                    pledged = pledgeDestinations.reduce(0) { $0 + $1.quantity }
                }
                let confirmed = pledged + plan.subscribed
                let fromStock = min(plan.fromStock, confirmed)
                if fromStock > 0 { stockDeltas[plan.sku, default: 0] -= fromStock }
                let label = "\(plan.sku), supplier \(supplierID)'s order for \(Timestamp(seconds: group.day * 86_400).rfc3339.prefix(10))"
                if fromStock > 0, product.unitCost.minor > 0 {
                    journal.append(try .stockUsed(campaignID: nil, cost: product.unitCost.multiplied(by: fromStock),
                                                  memo: "\(fromStock) × \(label) from stock"))
                }
                // A line stock serves whole orders nothing: the supplier does not see it.
                guard plan.order > 0 else { continue }
                if product.unitCost.minor > 0 {
                    journal.append(try .supplierPayable(campaignID: nil, cost: product.unitCost.multiplied(by: plan.order),
                                                        memo: "\(plan.order) × \(label) @ \(product.unitCost)"))
                }
                lines.append(try PurchaseOrder.Line(
                    sku: plan.sku, productName: product.name, confirmedQuantity: confirmed, orderQuantity: plan.order,
                    unitCost: product.unitCost, unitPrice: try averagePrice(of: plan.sku, group: group, product: product),
                    destinations: AggregatedDemand.Destination.merging(pledgeDestinations + subscriptionDestinations),
                    style: product.style, fromStock: fromStock))
            }
            let deliveries = group.weeks.flatMap(\.deliveries)
            let memberIDs = group.campaigns.map(\.member.id) + group.weeks.map(\.member.id)
            let requested = (group.campaigns.map(\.member.deliveryAt) + group.weeks.map(\.member.deliveryAt)).min() ?? cutOffAt
            guard !lines.isEmpty else {
                // Stock served it all, or the rules ordered nothing: the members are cut off with no order.
                orders.append(DayOrder(order: nil, memberIDs: memberIDs, deliveries: deliveries))
                continue
            }
            var order = try PurchaseOrder(id: 0, supplierID: supplierID, campaignID: nil, currency: group.currency, lines: lines,
                                          requestedDeliveryAt: requested, createdAt: now)
            order.cutOffAt = cutOffAt
            order.deliveryDay = group.day
            order.memberCampaignIDs = group.campaigns.map(\.campaign.id).sorted()
            order.subscriptionWeek = group.weeks.first?.member.subscriptionWeek
            orders.append(DayOrder(order: order, memberIDs: memberIDs, deliveries: deliveries))
        }
        let settled = try allocation.settle(at: now, unitPrice: nil, campaigns: campaignsByID)
        journal += settled.journal
        return OrderCycleCut(orders: orders, journal: journal, refunded: settled.refunded, reduced: settled.reduced,
                             stockDeltas: stockDeltas)
    }

    /// What consumers pay per unit on the line, for the supplier's reference: the revenue of
    /// what stands over its units, rounded down (campaigns at their tier prices, subscriptions
    /// at theirs).
    private static func averagePrice(of sku: String, group: Group, product: Product) throws(DomainError) -> Money {
        var revenue = Money.zero(group.currency)
        var units: Int64 = 0
        for demand in group.campaigns {
            let campaignUnits = demand.units(of: sku)
            guard campaignUnits > 0 else { continue }
            let price = demand.campaign.unitPrice(of: sku, at: demand.campaign.finalUnitPrice
                ?? demand.campaign.schedule.unitPrice(at: demand.campaign.pledgedQuantity))
            revenue = try revenue.adding(price.multiplied(by: campaignUnits))
            units += campaignUnits
        }
        for delivery in group.weeks.flatMap(\.deliveries) where delivery.sku == sku {
            revenue = try revenue.adding(delivery.subscription.unitPrice.multiplied(by: delivery.quantity))
            units += delivery.quantity
        }
        return units > 0 ? Money(minor: revenue.minor / units, currency: group.currency) : product.unitCost
    }

    private static func checkedSum(_ a: Int64, _ b: Int64, _ sku: String) throws(DomainError) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow, sum <= Bounds.campaignUnits else {
            throw DomainError(.overflow, field: "quantity", "the day's units of \(sku) exceed the \(Bounds.campaignUnits) one order line may hold")
        }
        return sum
    }
}
