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
    /// Applies the supplier's answer. A short answer is shared out per SKU in arrival order:
    /// earlier pledges are filled first, a line is never split, and a line that no longer fits
    /// is refunded in full (its deposit, or everything it paid); a pledge whose every line is
    /// refunded is refunded, one with lines left stands for them (its commission shrinks in
    /// proportion to its total). A pledge without lines is one line of the order's one SKU.
    /// Whatever is not accepted comes off the supplier payable. The answered order shows what
    /// will ship: each line's cost is for the accepted units, and a campaign order's
    /// destinations count only the lines that are still filled, as the leaders' pick lists do.
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
        // Only a campaign's order is tied to individual pledges: the live ones, earliest first.
        let live = campaignID == nil ? [] : pledges.filter { $0.campaignID == campaignID && ($0.status == .confirmed || $0.status == .paid) }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        var working = live
        for index in lines.indices {
            let line = lines[index]
            let accepted = answer.acceptedQuantities[line.sku] ?? line.orderQuantity
            try lines[index].accept(accepted)
            let shortfall = line.orderQuantity - accepted
            if shortfall > 0, line.unitCost.minor > 0 {
                journal.append(try .supplierPayableReversed(campaignID: campaignID, cost: line.unitCost.multiplied(by: shortfall),
                                                            memo: "\(number): \(shortfall) × \(line.sku) not accepted"))
            }
            guard campaignID != nil, accepted < line.confirmedQuantity else { continue }
            var room = accepted
            var kept: [(String?, String?, Int64)] = []
            for position in working.indices {
                let pledge = working[position]
                guard pledge.status != .refunded else { continue }
                let units = pledge.lines.isEmpty ? pledge.liveQuantity : pledge.activeQuantity(of: line.sku)
                guard units > 0 else { continue }
                if units <= room {
                    room -= units
                    kept.append((pledge.pickupPoint, pledge.leaderCode, units))
                } else if pledge.lines.isEmpty {
                    working[position].status = .refunded
                } else {
                    for lineIndex in pledge.lines.indices where pledge.lines[lineIndex].sku == line.sku {
                        working[position].lines[lineIndex].status = .refunded
                    }
                }
            }
            lines[index].destinations = AggregatedDemand.Destination.grouping(kept)
        }
        var refunded: [Pledge] = [], reduced: [Pledge] = []
        for (before, after) in zip(live, working) where after != before {
            if after.status == .refunded || after.liveQuantity == 0 {
                var gone = try before.transitioned(to: .refunded, at: now)
                for lineIndex in gone.lines.indices where gone.lines[lineIndex].status == .active {
                    gone.lines[lineIndex].status = .refunded
                    gone.lines[lineIndex].refundedAt = now
                }
                refunded.append(gone)
                journal += try Self.refundEntries(for: before, paidTotal: line(of: before)?.unitPrice, campaign: campaign)
            } else {
                let dropped = before.lines.indices.filter { before.lines[$0].status == .active && after.lines[$0].status == .refunded }
                var standing = after
                standing.updatedAt = now
                standing.commission = try Self.commission(of: before, keeping: after, campaign: campaign)
                var reversed: Money?
                if let commission = before.commission { reversed = try commission.subtracting(standing.commission ?? .zero(commission.currency)) }
                for lineIndex in dropped { standing.lines[lineIndex].refundedAt = now }
                if let first = dropped.first, let reversed { standing.lines[first].commissionReversedMinor = reversed.minor }
                let part = before.portion(lines: dropped, commission: reversed)
                journal += try Self.refundEntries(for: part, paidTotal: nil, campaign: campaign, status: before.status)
                reduced.append(standing)
            }
        }
        try order.replaceLines(lines)
        order.status = switch answer.decision {
        case .accepted: .accepted
        case .partiallyAccepted: .partiallyAccepted
        case .rejected: .rejected
        }
        order.acknowledgement = answer
        order.acknowledgedAt = now
        return AcknowledgementOutcome(order: order, refundedPledges: refunded, reducedPledges: reduced, journal: journal)
    }

    /// The order's line a pledge without lines fills (its one SKU).
    private func line(of pledge: Pledge) -> Line? { pledge.lines.isEmpty ? lines.first : nil }

    /// What goes back for `pledge` (a whole pledge's live part, or a portion): everything it
    /// paid when paid, else its deposit; and the commission it carried.
    private static func refundEntries(for pledge: Pledge, paidTotal unitPrice: Money?, campaign: Campaign?,
                                      status: PledgeStatus? = nil) throws(DomainError) -> [JournalEntry] {
        var journal: [JournalEntry] = []
        if (status ?? pledge.status) == .paid {
            let total: Money
            if let campaign { total = try campaign.total(for: pledge) }
            else if let unitPrice { total = try unitPrice.multiplied(by: pledge.liveQuantity) }
            else { throw DomainError(.conflict, "pledge \(pledge.id)'s lines cannot be refunded without its campaign") }
            journal.append(try .saleRefunded(pledge, total: total, credit: try campaign?.depositCredit(for: pledge)))
        } else if !pledge.liveDeposit.isZero {
            journal.append(try .depositRefunded(pledge))
        }
        if let reversal = try JournalEntry.leaderCommissionReversed(pledge) { journal.append(reversal) }
        return journal
    }

    /// The commission left on a pledge whose lines shrank from `before` to `after`: the same
    /// share of it as of the total (rounded down, so what is reversed is never short).
    private static func commission(of before: Pledge, keeping after: Pledge, campaign: Campaign?) throws(DomainError) -> Money? {
        guard let commission = before.commission, !commission.isZero else { return before.commission }
        guard let campaign else { throw DomainError(.conflict, "pledge \(before.id)'s commission needs its campaign") }
        let was = try campaign.total(for: before).minor, now = try campaign.total(for: after).minor
        guard was > 0 else { return commission }
        let product = commission.minor.multipliedFullWidth(by: now)
        return Money(minor: was.dividingFullWidth(product).quotient, currency: commission.currency)
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
