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
}

extension PurchaseOrder {
    /// Applies the supplier's answer. A short answer is shared out over the pledges by
    /// `PledgeAllocation` (per SKU, in arrival order, a line never split). Whatever is not
    /// accepted comes off the supplier payable. The answered order shows what will ship: each
    /// line's cost is for the accepted units, and a campaign order's destinations count only
    /// the lines that are still filled, as the leaders' pick lists do. With the order's
    /// `campaign`, a paid pledge gets back exactly what it paid (team members paid the team
    /// price); without it, the line's unit price.
    public func acknowledging(_ answer: PurchaseOrderAcknowledgement, pledges: [Pledge], at now: Timestamp,
                              campaign: Campaign? = nil) throws(DomainError) -> AcknowledgementOutcome {
        guard status == .open else {
            throw DomainError(.invalidTransition, "\(number) was already answered (\(status.rawValue))", reason: .alreadyAnswered)
        }
        let answer = try answer.validated(against: self)
        var order = self
        var lines = lines
        var journal: [JournalEntry] = []
        var allocation = PledgeAllocation(pledges: pledges, campaignID: campaignID)
        for index in lines.indices {
            let line = lines[index]
            let accepted = answer.acceptedQuantities[line.sku] ?? line.orderQuantity
            try lines[index].accept(accepted)
            let shortfall = line.orderQuantity - accepted
            if shortfall > 0, line.unitCost.minor > 0 {
                journal.append(try .supplierPayableReversed(campaignID: campaignID, cost: line.unitCost.multiplied(by: shortfall),
                                                            memo: "\(number): \(shortfall) × \(line.sku) not accepted"))
            }
            // Stock already serves `fromStock` of what the pledges hold.
            guard campaignID != nil, accepted + line.fromStock < allocation.held(line.sku) else { continue }
            lines[index].destinations = allocation.fill(line.sku, room: accepted + line.fromStock)
        }
        let settled = try allocation.settle(at: now, unitPrice: lines.first?.unitPrice, campaign: campaign)
        try order.replaceLines(lines)
        order.status = switch answer.decision {
        case .accepted: .accepted
        case .partiallyAccepted: .partiallyAccepted
        case .rejected: .rejected
        }
        order.acknowledgement = answer
        order.acknowledgedAt = now
        return AcknowledgementOutcome(order: order, refundedPledges: settled.refunded, reducedPledges: settled.reduced,
                                      journal: journal + settled.journal)
    }
}

extension AcknowledgementOutcome {
    /// The answered order, and each pledge it could not fill (refunds due are recorded with
    /// the entries that make them due).
    public var events: [DomainEvent] {
        [.purchaseOrder(.purchaseOrderAcknowledged, order)] + refundedPledges.map(DomainEvent.pledge)
            + reducedPledges.map { .pledge(.pledgeLinesRefunded, $0) }
    }
}
