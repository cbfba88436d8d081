extension Pledge {
    /// A stored pledge, restored as written: its request was validated when it was placed, and
    /// closing a campaign of a million pledges must not validate a million requests again.
    public init(restoringID id: Int64, campaignID: Int64, consumerID: String, quantity: Int64, deposit: Money,
                leaderCode: String?, pickupPoint: String?, depositPaymentRef: String?, idempotencyKey: String,
                teamID: Int64?, commission: Money?, status: PledgeStatus, createdAt: Timestamp, updatedAt: Timestamp,
                lines: [PledgeLine] = [], priceDeltaMinor: Int64 = 0, hasStoredLines: Bool = false) {
        self.id = id
        self.campaignID = campaignID
        self.consumerID = consumerID
        self.quantity = quantity
        self.deposit = deposit
        self.leaderCode = leaderCode
        self.pickupPoint = pickupPoint
        self.depositPaymentRef = depositPaymentRef
        self.idempotencyKey = idempotencyKey
        self.teamID = teamID
        self.commission = commission
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lines = lines
        self.priceDeltaMinor = priceDeltaMinor
        self.hasStoredLines = hasStoredLines || !lines.isEmpty
    }
}
