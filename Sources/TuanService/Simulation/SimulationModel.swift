import TuanDomain

/// What the auditor expects the database to hold, kept by the simulation from its own
/// reading of the rules, never read back from the database (except where it says so).
struct SimulationModel: Sendable {
    struct CampaignModel: Sendable {
        var id: Int64
        var threshold: Int64
        var cap: Int64?
        var maxPerPledge: Int64
        var depositPerUnit: Int64
        var closesAt: Timestamp
        var cancellationDeadline: Timestamp
        var balanceDueAt: Timestamp
        var closed = false
        var succeeded = false
        /// Units and pledges counted by the campaign: live pledges while open, frozen at close.
        var pledged: Int64 = 0
        var count: Int64 = 0
        /// On success, the units the purchase order must confirm.
        var confirmedAtClose: Int64 = 0
    }

    struct PledgeModel: Sendable {
        var id: Int64
        var campaignID: Int64
        var quantity: Int64
        var leaderCode: String?
        var status: PledgeStatus
    }

    /// A request that was answered 201, kept for replays.
    struct AcceptedRequest: Sendable {
        var campaignID: Int64
        var request: PledgeRequest
        var pledgeID: Int64
    }

    var now: Timestamp
    var campaigns: [Int64: CampaignModel] = [:]
    var pledges: [Int64: PledgeModel] = [:]
    var accepted: [AcceptedRequest] = []
    var leaderCodes: [String] = []

    /// The refusal a new pledge of `quantity` into `campaign` must get now, or nil if it must be accepted.
    func expectedRefusal(campaign c: CampaignModel, quantity: Int64) -> DomainError.Code? {
        if c.closed || now >= c.closesAt { return .campaignClosed }
        if quantity > c.maxPerPledge { return .invalidField }
        if let cap = c.cap, c.pledged + quantity > cap { return .soldOut }
        return nil
    }

    func pledges(in campaignID: Int64, status: PledgeStatus) -> [PledgeModel] {
        pledges.values.filter { $0.campaignID == campaignID && $0.status == status }.sorted { $0.id < $1.id }
    }
}
