/// Everything that changes when a campaign closes, stated over the loaded pledges: the
/// campaign's final state, each pledge's and team's new state, the ledger entries, and (on
/// success) the aggregated demand for the purchase order. This is the rules' plain statement;
/// the service closes through `SettlementPlan`, which the store applies set-based to any number
/// of pledges, and a test holds the two to the same result (`SettlementEquivalenceTests`).
public struct CampaignSettlement: Sendable {
    public var campaign: Campaign
    public var pledges: [Pledge]
    /// Team-buy teams that had not filled by the close, now expired.
    public var expiredTeams: [Team]
    public var journal: [JournalEntry]
    /// The first item's demand (the campaign's one, for one implicit item).
    public var demand: AggregatedDemand? { demands.first }
    /// On success, one per item in the items' order.
    public var demands: [AggregatedDemand]
    /// The group purchase order for the supplier (on success with something to order). Its id
    /// is 0 until the store saves it.
    public var purchaseOrder: PurchaseOrder?
    /// Commission per leader code, on success.
    public var commissions: [String: Money]

    public enum Reason: String, Sendable {
        /// The deadline passed or an admin closed it early.
        case closed
        /// An admin called the campaign off: everyone is refunded whatever the count.
        case cancelled
    }

    /// Settles `campaign` given all of its pledges, its team-buy teams and the leaders its
    /// pledges name. Pledges in teams that never filled are refunded first and stop counting;
    /// the campaign then succeeds when the rest reach the threshold, otherwise fails. Either way
    /// no pledge is left in `pledged`.
    public static func settle(_ campaign: Campaign, pledges: [Pledge], product: Product, reason: Reason,
                              at now: Timestamp, teams: [Team] = [], leaders: [Leader] = []) throws(DomainError) -> CampaignSettlement {
        try settle(campaign, pledges: pledges, products: [product], reason: reason, at: now, teams: teams, leaders: leaders)
    }

    /// `products`: one per item, in the items' order (the campaign's one product without items).
    /// `stock`: units on hand per SKU, served before anything is ordered.
    public static func settle(_ campaign: Campaign, pledges: [Pledge], products: [Product], reason: Reason,
                              at now: Timestamp, teams: [Team] = [], leaders: [Leader] = [],
                              stock: [String: Int64] = [:]) throws(DomainError) -> CampaignSettlement {
        guard campaign.status.acceptsPledges || (reason == .cancelled && campaign.status == .draft) else {
            throw DomainError(.invalidTransition, "campaign \(campaign.id) is \(campaign.status.rawValue) and cannot be closed")
        }
        var journal: [JournalEntry] = []
        var updated: [Pledge] = []
        var counted = campaign
        let unfilled = Dictionary(teams.filter { $0.campaignID == campaign.id && $0.status != .filled }.map { ($0.id, $0) },
                                  uniquingKeysWith: { first, _ in first })
        var live: [Pledge] = []
        for pledge in pledges where pledge.status == .pledged {
            guard let teamID = pledge.teamID, unfilled[teamID] != nil else { live.append(pledge); continue }
            updated.append(try pledge.transitioned(to: .refunded, at: now))
            if !pledge.deposit.isZero { journal.append(try .depositRefunded(pledge)) }
            counted.pledgedQuantity -= pledge.quantity
            counted.pledgeCount -= 1
        }
        let expiredTeams = unfilled.values.filter { $0.status == .forming }.map { $0.expired() }.sorted { $0.id < $1.id }

        let succeeded = reason == .closed && counted.isTipped
        var next = try counted.transitioned(to: reason == .cancelled ? .cancelled : (succeeded ? .succeeded : .failed))
        next.closedAt = now

        guard succeeded else {
            for pledge in live {
                updated.append(try pledge.transitioned(to: .refunded, at: now))
                if !pledge.deposit.isZero { journal.append(try .depositRefunded(pledge)) }
            }
            return CampaignSettlement(campaign: next, pledges: updated, expiredTeams: expiredTeams, journal: journal,
                                      demands: [], purchaseOrder: nil, commissions: [:])
        }

        let finalPrice = counted.schedule.unitPrice(at: counted.pledgedQuantity)
        next.finalUnitPrice = finalPrice
        let leadersByCode = Dictionary(leaders.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var commissions: [String: Money] = [:]
        for pledge in live {
            var confirmed = try pledge.transitioned(to: .confirmed, at: now)
            if let code = pledge.leaderCode, let leader = leadersByCode[code] {
                let commission = try leader.commission(on: next.total(for: confirmed))
                confirmed.commission = commission
                commissions[code] = try (commissions[code] ?? .zero(commission.currency)).adding(commission)
            }
            updated.append(confirmed)
        }
        for code in commissions.keys.sorted() where !commissions[code]!.isZero {
            journal.append(try .leaderCommission(leaderCode: code, campaignID: campaign.id, amount: commissions[code]!,
                                                 memo: "commission of \(code) on campaign \(campaign.id)"))
        }
        // Stock serves first; a rounding rule that orders less than the rest refunds the last-arrived lines.
        var allocation = PledgeAllocation(pledges: updated, campaignID: campaign.id)
        var orders: [String: Int64] = [:], served: [String: Int64] = [:]
        for product in products {
            let units = allocation.held(product.sku)
            let (fromStock, order) = try product.supply(forConfirmed: units, stock: stock[product.sku] ?? 0)
            orders[product.sku] = order
            served[product.sku] = fromStock
            if order + fromStock < units { _ = allocation.fill(product.sku, room: order + fromStock) }
        }
        let rounded = try allocation.settle(at: now, unitPrice: nil, campaign: next)
        let changed = Dictionary(uniqueKeysWithValues: (rounded.refunded + rounded.reduced).map { ($0.id, $0) })
        updated = updated.map { changed[$0.id] ?? $0 }
        journal += rounded.journal
        var demands: [AggregatedDemand] = []
        for product in products {
            var demand = try AggregatedDemand(campaign: next, product: product, pledges: updated, orderQuantity: orders[product.sku])
            demand.fromStock = min(served[product.sku] ?? 0, demand.confirmedQuantity)
            journal += try demand.supplyEntries(product: product)
            demands.append(demand)
        }
        let ordered = zip(demands, products).map { ($0, $1.name) }
        let order = demands.contains { $0.orderQuantity > 0 }
            ? try PurchaseOrder(demands: ordered, at: now, requestedDeliveryAt: next.deliveryDate(products: products, closedAt: now)) : nil
        return CampaignSettlement(campaign: next, pledges: updated, expiredTeams: expiredTeams, journal: journal,
                                  demands: demands, purchaseOrder: order, commissions: commissions)
    }
}
