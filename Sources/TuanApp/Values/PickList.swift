import TuanDomain

/// What a leader hands out for one campaign: each consumer's pledges, with the totals that must
/// match the purchase order's line for the leader's destination.
public struct PickList: Sendable {
    public struct Entry: Sendable {
        public var pledgeID: Int64
        public var consumerID: String
        public var quantity: Int64
        public var pickupPoint: String?
        public var status: PledgeStatus
        /// In a campaign of items: what of each item to hand out (the lines that stand).
        public var lines: [PledgeLine] = []

        public init(pledgeID: Int64, consumerID: String, quantity: Int64, pickupPoint: String? = nil, status: PledgeStatus,
                    lines: [PledgeLine] = []) {
            self.pledgeID = pledgeID
            self.consumerID = consumerID
            self.quantity = quantity
            self.pickupPoint = pickupPoint
            self.status = status
            self.lines = lines
        }
    }

    public var leader: Leader
    public var campaign: Campaign
    public var entries: [Entry]
    public var totalQuantity: Int64 { entries.reduce(0) { $0 + $1.quantity } }
    public var consumerCount: Int { Set(entries.map(\.consumerID)).count }
    /// More consumers than the leader's group holds: shown, never used to drop a pledge.
    public var exceedsMemberLimit: Bool { Int64(consumerCount) > leader.memberLimit }

    public init(leader: Leader, campaign: Campaign, entries: [Entry]) {
        self.leader = leader
        self.campaign = campaign
        self.entries = entries
    }
}
