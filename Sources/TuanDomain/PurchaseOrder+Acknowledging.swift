/// Everything that changes when a supplier answers an order, computed purely so that the
/// store applies it in one transaction.
public struct AcknowledgementOutcome: Sendable {
    public var order: PurchaseOrder
    /// Pledges the supplier cannot fill, now refunded.
    public var refundedPledges: [Pledge]
    public var journal: [JournalEntry]
}

extension PurchaseOrder {
    /// Applies the supplier's answer. A short answer is shared out in arrival order: earlier
    /// pledges are filled first, a pledge is never split, and a pledge that no longer fits is
    /// refunded in full (its deposit, or everything it paid). Whatever is not accepted comes
    /// off the supplier payable. The answered order shows what will ship: each line's cost is
    /// for the accepted units, and a campaign order's destinations count only the pledges that
    /// are still filled, as the leaders' pick lists do.
    /// With the order's `campaign`, a paid pledge gets back exactly what it paid (team members
    /// paid the team price); without it, the line's unit price.
    public func acknowledging(_ answer: PurchaseOrderAcknowledgement, pledges: [Pledge], at now: Timestamp,
                              campaign: Campaign? = nil) throws(DomainError) -> AcknowledgementOutcome {
        guard status == .open else {
            throw DomainError(.invalidTransition, "\(number) was already answered (\(status.rawValue))", reason: .alreadyAnswered)
        }
        let answer = try answer.validated(against: self)
        var order = self
        var lines = lines
        var journal: [JournalEntry] = []
        var refunded: [Pledge] = []
        for index in lines.indices {
            let line = lines[index]
            let accepted = answer.acceptedQuantities[line.sku] ?? line.orderQuantity
            try lines[index].accept(accepted)
            let shortfall = line.orderQuantity - accepted
            if shortfall > 0, line.unitCost.minor > 0 {
                journal.append(try .supplierPayableReversed(campaignID: campaignID, cost: line.unitCost.multiplied(by: shortfall),
                                                            memo: "\(number): \(shortfall) × \(line.sku) not accepted"))
            }
            // Only a campaign's order is tied to individual pledges (one SKU per campaign).
            guard campaignID != nil, accepted < line.confirmedQuantity else { continue }
            var room = accepted
            var kept: [Pledge] = []
            let live = pledges.filter { $0.campaignID == campaignID && ($0.status == .confirmed || $0.status == .paid) }
                .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            for pledge in live {
                if pledge.quantity <= room {
                    room -= pledge.quantity
                    kept.append(pledge)
                    continue
                }
                refunded.append(try pledge.transitioned(to: .refunded, at: now))
                if pledge.status == .paid {
                    let total = if let campaign { try campaign.total(for: pledge) } else { try line.unitPrice.multiplied(by: pledge.quantity) }
                    journal.append(try .saleRefunded(pledge, total: total, credit: try campaign?.depositCredit(for: pledge)))
                } else if !pledge.deposit.isZero {
                    journal.append(try .depositRefunded(pledge))
                }
                if let reversal = try JournalEntry.leaderCommissionReversed(pledge) { journal.append(reversal) }
            }
            lines[index].destinations = AggregatedDemand.Destination.grouping(kept.map { ($0.pickupPoint, $0.leaderCode, $0.quantity) })
        }
        try order.replaceLines(lines)
        order.status = switch answer.decision {
        case .accepted: .accepted
        case .partiallyAccepted: .partiallyAccepted
        case .rejected: .rejected
        }
        order.acknowledgement = answer
        order.acknowledgedAt = now
        return AcknowledgementOutcome(order: order, refundedPledges: refunded, journal: journal)
    }
}

extension AcknowledgementOutcome {
    /// The answered order, and each pledge it could not fill (refunds due are recorded with
    /// the entries that make them due).
    public var events: [DomainEvent] {
        [.purchaseOrder(.purchaseOrderAcknowledged, order)] + refundedPledges.map(DomainEvent.pledge)
    }
}
