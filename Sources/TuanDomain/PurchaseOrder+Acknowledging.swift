/// Everything that changes when a supplier answers an order, computed purely so that the
/// store applies it in one transaction.
public struct AcknowledgementOutcome: Sendable {
    public var order: PurchaseOrder
    /// Pledges the supplier cannot fill, now refunded.
    public var refundedPledges: [Pledge]
    /// Pledges of several lines of which some are refunded, the rest standing: their lines'
    /// status and their commission changed.
    public var reducedPledges: [Pledge] = []
    public var journal: [JournalEntry]
    /// Subscription deliveries the answer leaves short, whole (their period's price is owed back).
    public var shortDeliveries: [SubscriptionDelivery] = []
}

extension PurchaseOrder {
    /// Applies the supplier's answer. A short answer is shared out over the order's
    /// subscription deliveries first (`SubscriptionAllocation`), then its pledges by
    /// `PledgeAllocation` (per SKU, in arrival order across the order's campaigns, a line never
    /// split). Whatever is not accepted comes off the supplier payable. The answered order shows
    /// what will ship: each line's cost is for the accepted units, and its destinations count
    /// only what is still filled, as the leaders' pick lists do. With the order's campaigns, a
    /// paid pledge gets back exactly what it paid (team members paid the team price); without
    /// them, the line's unit price.
    public func acknowledging(_ answer: PurchaseOrderAcknowledgement, pledges: [Pledge], at now: Timestamp,
                              campaign: Campaign? = nil, campaigns: [Campaign] = [],
                              deliveries: [SubscriptionDelivery] = []) throws(DomainError) -> AcknowledgementOutcome {
        guard status == .open else {
            throw DomainError(.invalidTransition, "\(number) was already answered (\(status.rawValue))", reason: .alreadyAnswered)
        }
        let answer = try answer.validated(against: self)
        var order = self
        var lines = lines
        var journal: [JournalEntry] = []
        let known = campaign.map { [$0] + campaigns } ?? campaigns
        var allocation = PledgeAllocation(pledges: pledges, campaignIDs: allocationCampaignIDs)
        allocation.know(known)
        var subscriptions = SubscriptionAllocation(deliveries)
        for index in lines.indices {
            let line = lines[index]
            let accepted = answer.acceptedQuantities[line.sku] ?? line.orderQuantity
            try lines[index].accept(accepted)
            let shortfall = line.orderQuantity - accepted
            if shortfall > 0, line.unitCost.minor > 0 {
                journal.append(try .supplierPayableReversed(campaignID: campaignID, cost: line.unitCost.multiplied(by: shortfall),
                                                            memo: "\(number): \(shortfall) × \(line.sku) not accepted"))
            }
            // Stock already serves `fromStock` of what is held.
            if let kept = Self.share(line, servable: accepted + line.fromStock, pledges: &allocation, subscriptions: &subscriptions, at: now) {
                lines[index].destinations = kept
            }
        }
        let settled = try allocation.settle(at: now, unitPrice: lines.first?.unitPrice,
                                            campaigns: Self.byID(known))
        try order.replaceLines(lines)
        order.status = switch answer.decision {
        case .accepted: .accepted
        case .partiallyAccepted: .partiallyAccepted
        case .rejected: .rejected
        }
        order.acknowledgement = answer
        order.acknowledgedAt = now
        return AcknowledgementOutcome(order: order, refundedPledges: settled.refunded, reducedPledges: settled.reduced,
                                      journal: journal + settled.journal, shortDeliveries: subscriptions.short)
    }

    /// When `servable` units of `line` are fewer than its subscription deliveries and pledges
    /// hold: the deliveries first, then the pledges, and the destinations of what is kept; nil
    /// when everything held is served (the line's destinations stand).
    static func share(_ line: Line, servable: Int64, pledges allocation: inout PledgeAllocation,
                      subscriptions: inout SubscriptionAllocation, at now: Timestamp) -> [AggregatedDemand.Destination]? {
        let forSubscriptions = subscriptions.held(line.sku), forPledges = allocation.held(line.sku)
        guard forSubscriptions + forPledges > 0, servable < forSubscriptions + forPledges else { return nil }
        let subscriptionRoom = min(servable, forSubscriptions)
        let kept = subscriptions.fill(line.sku, room: subscriptionRoom, at: now)
        let filled = forPledges > 0 ? allocation.fill(line.sku, room: servable - subscriptionRoom) : []
        return AggregatedDemand.Destination.merging(kept + filled)
    }

    static func byID(_ campaigns: [Campaign]) -> [Int64: Campaign] {
        var byID: [Int64: Campaign] = [:]
        for campaign in campaigns { byID[campaign.id] = campaign }
        return byID
    }
}

extension AcknowledgementOutcome {
    /// The answered order, each pledge it could not fill and each subscription delivery it left short.
    public var events: [DomainEvent] {
        [.purchaseOrder(.purchaseOrderAcknowledged, order)] + refundedPledges.map(DomainEvent.pledge)
            + reducedPledges.map { .pledge(.pledgeLinesRefunded, $0) } + shortDeliveries.map(\.shortEvent)
    }
}
