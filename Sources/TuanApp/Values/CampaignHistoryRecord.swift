import TuanDomain

/// A campaign with every pledge it ever received, as the forecast learns from it: arrival
/// times, cancellations and how each pledge was settled.
public struct CampaignHistoryRecord: Sendable {
    public struct PledgeRecord: Sendable {
        public var quantity: Int64
        public var depositMinor: Int64
        public var leaderCode: String?
        public var status: PledgeStatus
        public var createdAt: Int64
        /// When the pledge last changed state: for a cancelled pledge, when it was cancelled.
        public var updatedAt: Int64

        public init(quantity: Int64, depositMinor: Int64, leaderCode: String? = nil, status: PledgeStatus, createdAt: Int64, updatedAt: Int64) {
            self.quantity = quantity
            self.depositMinor = depositMinor
            self.leaderCode = leaderCode
            self.status = status
            self.createdAt = createdAt
            self.updatedAt = updatedAt
        }
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

    public init(id: Int64, sku: String, category: String, status: CampaignStatus, opensAt: Int64, closesAt: Int64, closedAt: Int64? = nil, threshold: Int64, cap: Int64? = nil, depositPerUnitMinor: Int64, unitPriceMinor: Int64, pledges: [PledgeRecord]) {
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
