/// What arrived of an order at one pickup point, as its leader counted it: the leader receives
/// the destinations it serves (`Handout.serves`: placed through the leader, or collected at its
/// point), one receipt per order and leader. A point received this way is done: the operator's
/// order receipt afterwards covers the rest of the order (the other points and the surplus).
public struct PointReceipt: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public var sku: String
        /// What the point's destinations held when it was received.
        public var expected: Int64
        public var received: Int64

        public init(sku: String, expected: Int64, received: Int64) {
            self.sku = sku
            self.expected = expected
            self.received = received
        }
    }

    public var leaderID: Int64
    public var leaderCode: String
    public var pickupPoint: String
    public var lines: [Line]
    public var receivedAt: Timestamp
    public var note: String?

    public init(leaderID: Int64, leaderCode: String, pickupPoint: String, lines: [Line], receivedAt: Timestamp, note: String?) {
        self.leaderID = leaderID
        self.leaderCode = leaderCode
        self.pickupPoint = pickupPoint
        self.lines = lines
        self.receivedAt = receivedAt
        self.note = note
    }

    /// Whether this point holds a destination, a pledge or a delivery.
    public func serves(pickupPoint point: String?, leaderCode code: String?) -> Bool {
        code == leaderCode || point == pickupPoint
    }

    func units(_ sku: String) -> (expected: Int64, received: Int64) {
        lines.filter { $0.sku == sku }.reduce((Int64(0), Int64(0))) { ($0.0 + $1.expected, $0.1 + $1.received) }
    }
}

/// Everything a point's receipt changes, decided purely.
public struct PointReceiptOutcome: Sendable {
    public var order: PurchaseOrder
    public var receipt: PointReceipt
    public var refundedPledges: [Pledge]
    public var reducedPledges: [Pledge]
    public var shortDeliveries: [SubscriptionDelivery]
    public var journal: [JournalEntry]
    /// Units beyond what the point's destinations held: stock, owed to the supplier.
    public var stock: [(sku: String, quantity: Int64)]
}

extension PurchaseOrder {
    /// A leader's receipt at its point. Refused when the order is not answered, is received
    /// already, has nothing for the point, the point was received already, or stock served part
    /// of the order (what came from stock and what from the supplier cannot be told apart at the
    /// point: the operator receives such an order). Per line: what the point's destinations hold
    /// is expected; a shortfall is shared out over the point's subscription deliveries and
    /// pledges as every short quantity is (`PledgeAllocation`: the last-arrived refunded, a line
    /// never split) and comes off the payable; units beyond it are stock, owed to the supplier.
    public func receivingAtPoint(_ receipt: PurchaseOrderReceipt, leader: Leader, received points: [PointReceipt], pledges: [Pledge],
                                 campaigns: [Campaign], deliveries: [SubscriptionDelivery],
                                 at now: Timestamp) throws(DomainError) -> PointReceiptOutcome {
        _ = try receipt.validated(against: self)
        guard lines.allSatisfy({ $0.fromStock == 0 }) else {
            throw DomainError(.invalidTransition, "stock served part of \(number): the operator records its receipt", reason: .stockServed)
        }
        guard !points.contains(where: { $0.leaderID == leader.id }) else {
            throw DomainError(.invalidTransition, "\(number) was already received at \(leader.pickupPoint)", reason: .alreadyReceived)
        }
        let here = PointReceipt(leaderID: leader.id, leaderCode: leader.code, pickupPoint: leader.pickupPoint, lines: [],
                                receivedAt: now, note: receipt.note)
        var receiptLines: [PointReceipt.Line] = []
        for line in lines {
            let expected = line.destinations.filter { here.serves(pickupPoint: $0.pickupPoint, leaderCode: $0.leaderCode) }
                .reduce(Int64(0)) { $0 + $1.quantity }
            guard expected > 0 || receipt.receivedQuantities[line.sku] != nil else { continue }
            receiptLines.append(PointReceipt.Line(sku: line.sku, expected: expected, received: receipt.receivedQuantities[line.sku] ?? expected))
        }
        guard receiptLines.contains(where: { $0.expected > 0 }) else {
            throw DomainError(.notFound, field: "id", "\(number) has nothing for \(leader.pickupPoint)")
        }
        for line in receiptLines where !(0...Bounds.campaignUnits).contains(line.received) {
            throw .invalid("lines", "received quantity for \(line.sku) must be between 0 and \(Bounds.campaignUnits)")
        }
        var allocation = PledgeAllocation(pledges: pledges.filter { here.serves(pickupPoint: $0.pickupPoint, leaderCode: $0.leaderCode) },
                                          campaigns: campaigns.filter { allocationCampaignIDs.contains($0.id) })
        var subscriptions = SubscriptionAllocation(deliveries.filter {
            here.serves(pickupPoint: $0.subscription.pickupPoint, leaderCode: $0.subscription.leaderCode)
        })
        var order = self
        var orderLines = lines
        var journal: [JournalEntry] = []
        var stock: [(sku: String, quantity: Int64)] = []
        for pointLine in receiptLines {
            guard let index = orderLines.firstIndex(where: { $0.sku == pointLine.sku }) else { continue }
            let line = orderLines[index]
            journal += try arrivalEntries(line, expected: pointLine.expected, received: pointLine.received, place: leader.pickupPoint)
            if pointLine.received < pointLine.expected {
                let elsewhere = line.destinations.filter { !here.serves(pickupPoint: $0.pickupPoint, leaderCode: $0.leaderCode) }
                let kept = Self.share(line, servable: pointLine.received, pledges: &allocation, subscriptions: &subscriptions, at: now) ?? []
                orderLines[index].destinations = AggregatedDemand.Destination.merging(elsewhere + kept)
            } else if pointLine.received > pointLine.expected {
                stock.append((line.sku, pointLine.received - pointLine.expected))
            }
        }
        let settled = try allocation.settle(at: now, unitPrice: lines.first?.unitPrice, campaigns: Self.byID(campaigns))
        try order.replaceLines(orderLines)
        var recorded = here
        recorded.lines = receiptLines
        return PointReceiptOutcome(order: order, receipt: recorded, refundedPledges: settled.refunded, reducedPledges: settled.reduced,
                                   shortDeliveries: subscriptions.short, journal: journal + settled.journal, stock: stock)
    }
}

extension PointReceiptOutcome {
    /// The order as received at the point (its `purchase_order.received_at_point` event), and
    /// what the shortfall refunded.
    public var events: [DomainEvent] {
        [.purchaseOrder(.purchaseOrderReceivedAtPoint, order)] + refundedPledges.map(DomainEvent.pledge)
            + reducedPledges.map { .pledge(.pledgeLinesRefunded, $0) } + shortDeliveries.map(\.shortEvent)
    }
}
