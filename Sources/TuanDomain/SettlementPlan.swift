/// A campaign's close, decided purely from the campaign and a handful of figures, so that the
/// store can apply it to any number of pledges with a few set-based statements instead of
/// loading every pledge (a flash sale of a million pledges cannot be closed one row at a time,
/// nor held in memory). `CampaignSettlement.settle` states the same rules over loaded pledges;
/// the two must agree, and a test holds them to it.
///
/// The plan says what happens to every pledge still `pledged`: `disposition(of:)`. It is kept
/// with the campaign while it is `closing`, and the store settles its pledges in chunks, each
/// its own transaction, so that other writers run between them; a chunk settles whichever
/// pledges are still `pledged`, so a close interrupted anywhere resumes where it stopped. Pledges in
/// team-buy teams that never filled are refunded first and stop counting; the campaign then
/// succeeds when the rest reach the threshold (every other pledge is confirmed at the final
/// price, a filled team's members at the team price when it is lower, and a pledge through a
/// known leader earns the leader's rate on its total), otherwise fails or is called off and
/// every pledge is refunded.
public struct SettlementPlan: Sendable {
    /// The campaign while its pledges are settled: `closing`, its final price and closing time
    /// set, its totals without the refunded team pledges.
    public let closing: Campaign
    /// The status it ends in: succeeded, failed or cancelled.
    public let outcome: CampaignStatus
    /// Teams that had not filled: their pledges are refunded whatever the outcome.
    public let unfilledTeamIDs: [Int64]
    /// Those of them still forming when the close was decided, now expired.
    public let expiredTeams: [Team]
    /// When set (success), confirmed pledges pay this; members of a filled team `teamUnitPrice`.
    public let unitPrice: Money?
    public let teamUnitPrice: Money?
    /// Leader code → basis points, for the leaders the pledges name that exist.
    public let commissionRates: [String: Int64]
    public let at: Timestamp

    /// A plan kept with its closing campaign (a close resumed after a restart).
    public init(restoringClosing closing: Campaign, outcome: CampaignStatus, unfilledTeamIDs: [Int64], unitPrice: Money?,
                teamUnitPrice: Money?, commissionRates: [String: Int64], at: Timestamp) {
        self.closing = closing
        self.outcome = outcome
        self.unfilledTeamIDs = unfilledTeamIDs
        self.expiredTeams = []
        self.unitPrice = unitPrice
        self.teamUnitPrice = teamUnitPrice
        self.commissionRates = commissionRates
        self.at = at
    }

    private init(closing: Campaign, outcome: CampaignStatus, unfilledTeamIDs: [Int64], expiredTeams: [Team], unitPrice: Money?,
                 teamUnitPrice: Money?, commissionRates: [String: Int64], at: Timestamp) {
        self.closing = closing
        self.outcome = outcome
        self.unfilledTeamIDs = unfilledTeamIDs
        self.expiredTeams = expiredTeams
        self.unitPrice = unitPrice
        self.teamUnitPrice = teamUnitPrice
        self.commissionRates = commissionRates
        self.at = at
    }

    /// The campaign as the close leaves it.
    public var campaign: Campaign {
        var final = closing
        final.status = outcome
        return final
    }

    public var succeeded: Bool { outcome == .succeeded }

    /// `unfilled` are the units and pledges still `pledged` in the campaign's unfilled teams.
    public static func decide(_ campaign: Campaign, reason: CampaignSettlement.Reason, teams: [Team],
                              unfilled: (units: Int64, pledges: Int64), leaders: [Leader],
                              at now: Timestamp) throws(DomainError) -> SettlementPlan {
        guard campaign.status.acceptsPledges || (reason == .cancelled && campaign.status == .draft) else {
            throw DomainError(.invalidTransition, "campaign \(campaign.id) is \(campaign.status.rawValue) and cannot be closed")
        }
        let unfilledTeams = teams.filter { $0.campaignID == campaign.id && $0.status != .filled }.sorted { $0.id < $1.id }
        var counted = campaign
        counted.pledgedQuantity -= unfilled.units
        counted.pledgeCount -= unfilled.pledges
        precondition(counted.pledgedQuantity >= 0 && counted.pledgeCount >= 0, "unfilled teams hold what the campaign counts")
        let succeeded = reason == .closed && counted.isTipped
        let outcome: CampaignStatus = reason == .cancelled ? .cancelled : (succeeded ? .succeeded : .failed)
        // The edge the one-transaction close took must exist (a tipped campaign that lost its
        // teams' units cannot fail); `closing` is the stop on the way.
        _ = try counted.transitioned(to: outcome)
        var next = try counted.transitioned(to: .closing)
        next.closedAt = now
        var unitPrice: Money?, teamUnitPrice: Money?
        if succeeded {
            let price = counted.schedule.unitPrice(at: counted.pledgedQuantity)
            next.finalUnitPrice = price
            unitPrice = price
            if let team = campaign.team, team.unitPrice.minor < price.minor { teamUnitPrice = team.unitPrice }
        }
        var rates: [String: Int64] = [:]
        for leader in leaders where rates[leader.code] == nil { rates[leader.code] = leader.commissionBasisPoints }
        // The store computes quantity × price × rate in 64-bit integers: within the bounds that
        // every input is held to, the product cannot overflow.
        precondition(Bounds.pledgeQuantity.multipliedReportingOverflow(by: Bounds.unitAmountMinor).partialValue
            .multipliedReportingOverflow(by: Leader.maximumCommissionBasisPoints).overflow == false,
                     "a commission's product fits in 64 bits")
        return SettlementPlan(closing: next, outcome: outcome, unfilledTeamIDs: unfilledTeams.map(\.id),
                              expiredTeams: unfilledTeams.filter { $0.status == .forming }.map { $0.expired() },
                              unitPrice: unitPrice, teamUnitPrice: teamUnitPrice, commissionRates: rates, at: now)
    }

    /// What the close does to one pledge still `pledged`: its new status, and on success the
    /// commission it earns its leader (nil when it names no known leader). The store applies
    /// exactly this, set-based.
    public func disposition(of pledge: Pledge) -> (status: PledgeStatus, commission: Money?) {
        let inUnfilledTeam = pledge.teamID.map { unfilledTeamIDs.contains($0) } ?? false
        guard let unitPrice, !inUnfilledTeam else { return (.refunded, nil) }
        let price = pledge.teamID != nil ? (teamUnitPrice ?? unitPrice) : unitPrice
        let commission = pledge.leaderCode.flatMap { commissionRates[$0] }
            .map { Money(minor: (pledge.quantity * price.minor + pledge.priceDeltaMinor) * $0 / 10_000, currency: price.currency) }
        return (.confirmed, commission)
    }

    /// The start of the close: the campaign from `original` to `closing` (no pledge enters or
    /// leaves it from here), and the expired teams.
    public func opening(from original: Campaign) -> Changeset {
        var changeset = Changeset()
        changeset.campaign(from: original, to: closing)
        changeset.teams = expiredTeams
        return changeset
    }

    /// The end of the close, once no pledge is left `pledged`: the campaign's final status, and
    /// on success the journal entries and the purchase order (`conclusion`).
    public func concluding(_ conclusion: Conclusion) -> Changeset {
        var changeset = Changeset()
        changeset.campaign(from: closing, to: campaign)
        changeset.journal = conclusion.journal
        changeset.purchaseOrders = conclusion.purchaseOrder.map { [$0] } ?? []
        changeset.cycleMembers = conclusion.cycleMember.map { [$0] } ?? []
        changeset.pledges = conclusion.refunded
        changeset.reducedPledges = conclusion.reduced
        for demand in conclusion.demands where demand.fromStock > 0 { changeset.stockDeltas[demand.sku, default: 0] -= demand.fromStock }
        return changeset
    }

    /// What the end of a close decides.
    public struct Conclusion: Sendable {
        /// One per item (the campaign's one product without items).
        public var demands: [AggregatedDemand]
        public var journal: [JournalEntry]
        public var purchaseOrder: PurchaseOrder?
        /// Pledges a rounding rule no longer orders for, refunded whole or down to the lines that stand.
        public var refunded: [Pledge]
        public var reduced: [Pledge]
        /// For a supplier with a daily cut-off: the campaign waits for it (no order, stock or
        /// payable yet; the cut-off rounds the day's total once).
        public var cycleMember: OrderCycleMember? = nil
    }

    /// What a product's line takes: units from stock first, the rest ordered under its rounding
    /// rule. A cut (`cuts`: the rule orders less than the rest) refunds the lines that no longer fit, the
    /// last-arrived first; they are among the latest pledges holding `tailUnits` of it, which
    /// the caller loads (a close never loads all of a flash sale's pledges).
    public struct LinePlan: Sendable, Equatable {
        public var sku: String
        public var confirmed: Int64
        public var order: Int64
        /// Units stock can serve (at most what is confirmed).
        public var fromStock: Int64
        /// Units of the latest pledges to load: what is cut, and a pledge's worth more (the one
        /// that crosses the line may be kept or not).
        public var tailUnits: Int64
        public var cuts: Bool { order + fromStock < confirmed }
    }

    /// Each product's line plan, from the confirmed units per destination of each SKU and the
    /// units in stock per SKU.
    public func lines(products: [Product], destinations: [String: [AggregatedDemand.Destination]],
                      stock: [String: Int64] = [:], cycle: OrderCycle = .immediate) throws(DomainError) -> [LinePlan] {
        guard succeeded, cycle == .immediate else { return [] }
        return try products.map { product throws(DomainError) in
            let confirmed = (destinations[product.sku] ?? []).reduce(0) { $0 + $1.quantity }
            let (fromStock, order) = try product.supply(forConfirmed: confirmed, stock: stock[product.sku] ?? 0)
            return LinePlan(sku: product.sku, confirmed: confirmed, order: order, fromStock: fromStock,
                               tailUnits: max(0, confirmed - fromStock - order) + campaign.maxPerPledge)
        }
    }

    /// The products whose rule cuts.
    public func roundingCuts(products: [Product], destinations: [String: [AggregatedDemand.Destination]],
                             stock: [String: Int64] = [:], cycle: OrderCycle = .immediate) throws(DomainError) -> [LinePlan] {
        try lines(products: products, destinations: destinations, stock: stock, cycle: cycle).filter(\.cuts)
    }

    /// After the pledges are settled, from what the store summed: the confirmed units per
    /// destination of each SKU (the campaign's own for one implicit item), the commission per
    /// leader code, and the stock per SKU; `tail`, the latest confirmed pledges the rounding
    /// cuts need (loaded with their lines). On success: the demand per item (served from stock
    /// first), the journal entries (each leader's commission, the stock used, the supplier's
    /// payable per SKU, the refunds of what rounding cut) and the purchase order, one line per
    /// SKU ordered as its product's rule says.
    /// With a daily `cycle`, the campaign joins its supplier's next cut-off instead: its demand
    /// is shown as confirmed (nothing ordered yet) and a `cycleMember` waits for the cut-off.
    public func conclusion(products: [Product], destinations: [String: [AggregatedDemand.Destination]], commissions: [String: Int64],
                           tail: [Pledge] = [], stock: [String: Int64] = [:], cycle: OrderCycle = .immediate) throws(DomainError) -> Conclusion {
        guard succeeded, let unitPrice else { return Conclusion(demands: [], journal: [], purchaseOrder: nil, refunded: [], reduced: []) }
        var journal: [JournalEntry] = []
        for code in commissions.keys.sorted() where commissions[code]! != 0 {
            journal.append(try .leaderCommission(leaderCode: code, campaignID: campaign.id,
                                                 amount: Money(minor: commissions[code]!, currency: unitPrice.currency),
                                                 memo: "commission of \(code) on campaign \(campaign.id)"))
        }
        if let cutOff = cycle.nextCutOff(after: at), let supplierID = products.first?.supplierID {
            let demands = try products.map { product throws(DomainError) in
                try AggregatedDemand(campaign: campaign, product: product, destinations: destinations[product.sku] ?? [], orderQuantity: 0)
            }
            let member = OrderCycleMember(supplierID: supplierID, cutOffAt: cutOff,
                                          // The order leaves at the cut-off, not at the close: lead times count from it.
                                          deliveryAt: campaign.deliveryDate(products: products, closedAt: cutOff),
                                          campaignID: campaign.id)
            return Conclusion(demands: demands, journal: journal, purchaseOrder: nil, refunded: [], reduced: [], cycleMember: member)
        }
        let plans = try lines(products: products, destinations: destinations, stock: stock)
        var allocation = PledgeAllocation(pledges: tail, campaignID: campaign.id)
        var kept = destinations
        for cut in plans where cut.cuts {
            let held = allocation.held(cut.sku)
            // The pledges not loaded are all earlier than the line's crossing: every one of them fits.
            let room = cut.order + cut.fromStock - (cut.confirmed - held)
            guard room >= 0, held >= min(cut.confirmed, cut.tailUnits) else {
                throw DomainError(.conflict, "campaign \(campaign.id): the pledges loaded for \(cut.sku)'s rounding hold \(held) of \(cut.tailUnits) units")
            }
            kept[cut.sku] = allocation.cut(cut.sku, room: room, from: destinations[cut.sku] ?? [])
        }
        let settled = try allocation.settle(at: at, unitPrice: nil, campaign: campaign)
        var demands: [AggregatedDemand] = []
        for (product, plan) in zip(products, plans) {
            var demand = try AggregatedDemand(campaign: campaign, product: product, destinations: kept[product.sku] ?? [], orderQuantity: plan.order)
            // Stock serves what it can of what stands; the order the rest.
            demand.fromStock = min(plan.fromStock, demand.confirmedQuantity)
            journal += try demand.supplyEntries(product: product)
            demands.append(demand)
        }
        journal += settled.journal
        let ordered = zip(demands, products).map { ($0, $1.name) }
        let order = demands.contains { $0.orderQuantity > 0 }
            ? try PurchaseOrder(demands: ordered, at: at, requestedDeliveryAt: campaign.deliveryDate(products: products, closedAt: at)) : nil
        return Conclusion(demands: demands, journal: journal, purchaseOrder: order, refunded: settled.refunded, reduced: settled.reduced)
    }
}
