import TuanDomain

/// A campaign with every pledge it ever received, as the forecast learns from it: arrival
/// times, cancellations and how each pledge was settled. Pledges alike in all of that come as
/// one record with a count, so a flash sale's million pledges load as a few hundred records.
public struct CampaignHistoryRecord: Sendable, Equatable {
    public struct PledgeRecord: Sendable, Hashable {
        /// Units of each pledge in the record.
        public var quantity: Int64
        /// Deposit of each pledge in the record.
        public var depositMinor: Int64
        public var viaLeader: Bool
        public var status: PledgeStatus
        public var createdAt: Int64
        /// When they were cancelled, for cancelled pledges.
        public var cancelledAt: Int64?
        /// How many pledges the record stands for.
        public var count: Int64

        public init(quantity: Int64, depositMinor: Int64, viaLeader: Bool = false, status: PledgeStatus, createdAt: Int64,
                    cancelledAt: Int64? = nil, count: Int64 = 1) {
            precondition(count > 0, "a pledge record stands for at least one pledge")
            self.quantity = quantity
            self.depositMinor = depositMinor
            self.viaLeader = viaLeader
            self.status = status
            self.createdAt = createdAt
            self.cancelledAt = status == .cancelled ? cancelledAt : nil
            self.count = count
        }

        /// Units of all the pledges in the record.
        public var units: Int64 { quantity * count }
    }

    public var id: Int64
    public var sku: String
    public var category: String
    public var status: CampaignStatus
    public var opensAt: Int64
    public var closesAt: Int64
    public var closedAt: Int64?
    public var threshold: Int64
    public var cap: Int64?
    public var depositPerUnitMinor: Int64
    /// The price everyone paid if it succeeded, else the first tier's price.
    public var unitPriceMinor: Int64
    public var pledges: [PledgeRecord]
    /// When its goods are (or were) delivered: its delivery date, else its product's lead time
    /// after the close (or the deadline, while open); nil when the store does not say.
    public var deliveryAt: Int64?

    public init(id: Int64, sku: String, category: String, status: CampaignStatus, opensAt: Int64, closesAt: Int64, closedAt: Int64? = nil, threshold: Int64, cap: Int64? = nil, depositPerUnitMinor: Int64, unitPriceMinor: Int64, pledges: [PledgeRecord], deliveryAt: Int64? = nil) {
        self.deliveryAt = deliveryAt
        self.id = id
        self.sku = sku
        self.category = category
        self.status = status
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.closedAt = closedAt
        self.threshold = threshold
        self.cap = cap
        self.depositPerUnitMinor = depositPerUnitMinor
        self.unitPriceMinor = unitPriceMinor
        self.pledges = pledges
    }
}
