/// Everything that changes when an order's goods arrive, computed purely so that the store
/// applies it in one transaction.
public struct ReceiptOutcome: Sendable {
    public var order: PurchaseOrder
    /// Pledges a short delivery cannot fill, now refunded.
    public var refundedPledges: [Pledge]
    /// Pledges of several lines of which some are refunded, the rest standing.
    public var reducedPledges: [Pledge]
    public var journal: [JournalEntry]
    /// Units that arrived (or came from stock) and no pledge holds, per SKU: they go to stock.
    public var stock: [(sku: String, quantity: Int64)]
    /// Subscription deliveries that did not arrive, whole.
    public var shortDeliveries: [SubscriptionDelivery] = []
}

extension PurchaseOrder {
    /// Applies a receipt. Per line: the supplier is owed for what arrived (a short delivery
    /// takes the rest off the payable; an over-delivery is stock, owed too); when less arrived
    /// (with what stock served) than the standing pledges hold, it is shared out by
    /// `PledgeAllocation` (arrival order, a line never split) and the lines that did not arrive
    /// are refunded: the last-arrived first, as with a short answer. A rounding surplus that
    /// did not arrive refunds nobody; one that did is stock, no longer a cost of goods sold.
    /// A subscription order (or the subscription week in a supplier's day order) is shared out
    /// the same way when its `deliveries` are given: they are served before the pledges.
    /// Points its leaders received already (`points`) are done: the receipt is for the rest of
    /// the order (a line left out arrived as the rest was to ship), and the line's received
    /// quantity adds what the points counted.
    public func receiving(_ receipt: PurchaseOrderReceipt, pledges: [Pledge], at now: Timestamp,
                          campaign: Campaign? = nil, campaigns: [Campaign] = [],
                          deliveries: [SubscriptionDelivery] = [], points: [PointReceipt] = []) throws(DomainError) -> ReceiptOutcome {
        let given = receipt
        let receipt = try receipt.validated(against: self)
        func atPoint(_ point: String?, _ code: String?) -> Bool { points.contains { $0.serves(pickupPoint: point, leaderCode: code) } }
        let pledges = pledges.filter { !atPoint($0.pickupPoint, $0.leaderCode) }
        let deliveries = deliveries.filter { !atPoint($0.subscription.pickupPoint, $0.subscription.leaderCode) }
        var order = self
        var lines = lines
        var journal: [JournalEntry] = []
        var stock: [(sku: String, quantity: Int64)] = []
        let known = campaign.map { [$0] + campaigns } ?? campaigns
        var allocation = PledgeAllocation(pledges: pledges, campaignIDs: allocationCampaignIDs)
        allocation.know(known)
        var subscriptions = SubscriptionAllocation(deliveries)
        // Whether what each line holds is known (pledges or deliveries loaded): otherwise only
        // an over-delivery is known to be held by nobody.
        let tracked = !allocation.live.isEmpty || !deliveries.isEmpty || !allocationCampaignIDs.isEmpty
        for index in lines.indices {
            let line = lines[index]
            let counted = points.reduce((expected: Int64(0), received: Int64(0))) { sum, point in
                let units = point.units(line.sku)
                return (sum.expected + units.expected, sum.received + units.received)
            }
            let expected = line.shippingQuantity - counted.expected
            let received = points.isEmpty ? receipt.receivedQuantities[line.sku]! : given.receivedQuantities[line.sku] ?? expected
            guard expected >= 0, (0...Bounds.campaignUnits).contains(received) else {
                throw .invalid("lines", "received quantity for \(line.sku) must be between 0 and \(Bounds.campaignUnits)")
            }
            let over = max(0, received - expected)
            try lines[index].receive(received + counted.received)
            journal += try arrivalEntries(line, expected: expected, received: received)
            let servable = received + line.fromStock
            if let kept = Self.share(line, servable: servable, pledges: &allocation, subscriptions: &subscriptions, at: now) {
                let received = line.destinations.filter { atPoint($0.pickupPoint, $0.leaderCode) }
                lines[index].destinations = AggregatedDemand.Destination.merging(received + kept)
            }
            // What no pledge holds once it is all here: the surplus (from the cost of goods) and
            // any over-delivery (owed to the supplier, entered above) go to stock.
            // (A subscription order's deliveries are not tied to pledges: only an over-delivery is stock.)
            let leftover = tracked ? servable - allocation.held(line.sku) - subscriptions.held(line.sku) : over
            precondition(leftover >= over, "\(number): what no pledge holds includes what arrived beyond the order")
            if leftover - over > 0, line.unitCost.minor > 0 {
                journal.append(try .surplusToStock(campaignID: campaignID, cost: line.unitCost.multiplied(by: leftover - over),
                                                   memo: "\(number): \(leftover - over) × \(line.sku) arrived for no pledge"))
            }
            if leftover > 0 { stock.append((line.sku, leftover)) }
        }
        let settled = try allocation.settle(at: now, unitPrice: lines.first?.unitPrice,
                                            campaigns: Self.byID(known))
        try order.replaceLines(lines)
        order.receivedAt = now
        order.receiptNote = receipt.note
        return ReceiptOutcome(order: order, refundedPledges: settled.refunded, reducedPledges: settled.reduced,
                              journal: journal + settled.journal, stock: stock, shortDeliveries: subscriptions.short)
    }
}

extension PurchaseOrder {
    /// The payable's side of what arrived of `line` (at `place`, when a point counted it):
    /// a shortfall comes off the payable, units beyond what was expected are stock owed to the
    /// supplier.
    func arrivalEntries(_ line: Line, expected: Int64, received: Int64, place: String? = nil) throws(DomainError) -> [JournalEntry] {
        guard line.unitCost.minor > 0 else { return [] }
        let at = place.map { " at \($0)" } ?? ""
        if received < expected {
            return [try .supplierPayableReversed(campaignID: campaignID, cost: line.unitCost.multiplied(by: expected - received),
                                                 memo: "\(number): \(expected - received) × \(line.sku) not delivered\(at)")]
        }
        if received > expected {
            return [try .stockReceived(campaignID: campaignID, cost: line.unitCost.multiplied(by: received - expected),
                                       memo: "\(number): \(received - expected) × \(line.sku) delivered beyond the order\(at)")]
        }
        return []
    }
}

extension ReceiptOutcome {
    /// The received order, and each pledge it could not fill.
    public var events: [DomainEvent] {
        [.purchaseOrder(.purchaseOrderReceived, order)] + refundedPledges.map(DomainEvent.pledge)
            + reducedPledges.map { .pledge(.pledgeLinesRefunded, $0) } + shortDeliveries.map(\.shortEvent)
    }
}
