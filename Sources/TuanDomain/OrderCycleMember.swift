/// What waits for a supplier's daily cut-off (`OrderCycle.daily`): a succeeded campaign's
/// confirmed pledges, or a subscription week's deliveries of the supplier's products. Each is
/// one row, written in the transaction that made it firm (the close, the week's cut-off), and
/// given its order in the transaction that sends the order: never lost, never in two orders.
public struct OrderCycleMember: Hashable, Sendable {
    /// 0 until stored.
    public var id: Int64
    public var supplierID: Int64
    public var cutOffAt: Timestamp
    /// The delivery date it asks for: members are ordered one order per delivery day.
    public var deliveryAt: Timestamp
    public var campaignID: Int64?
    public var subscriptionWeek: Timestamp?
    /// Set by the cut-off: when it ran, and the order (nil when stock served it all).
    public var purchaseOrderID: Int64?
    public var cutAt: Timestamp?

    public init(id: Int64 = 0, supplierID: Int64, cutOffAt: Timestamp, deliveryAt: Timestamp, campaignID: Int64? = nil,
                subscriptionWeek: Timestamp? = nil, purchaseOrderID: Int64? = nil, cutAt: Timestamp? = nil) {
        self.cutAt = cutAt
        precondition((campaignID == nil) != (subscriptionWeek == nil), "a member is a campaign or a subscription week")
        self.id = id
        self.supplierID = supplierID
        self.cutOffAt = cutOffAt
        self.deliveryAt = deliveryAt
        self.campaignID = campaignID
        self.subscriptionWeek = subscriptionWeek
        self.purchaseOrderID = purchaseOrderID
    }
}

/// One supplier's cut-off with members waiting for it: the scheduler's unit of work.
public struct SupplierCutOff: Hashable, Sendable, CustomStringConvertible {
    public var supplierID: Int64
    public var cutOffAt: Timestamp

    public init(supplierID: Int64, cutOffAt: Timestamp) {
        self.supplierID = supplierID
        self.cutOffAt = cutOffAt
    }

    public var description: String { "supplier \(supplierID) at \(cutOffAt)" }
}
