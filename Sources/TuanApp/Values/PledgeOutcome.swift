import TuanDomain

/// The answer to a pledge request: the pledge, the campaign after it, the team-buy team it
/// opened or joined, and whether this was a replay of an earlier request with the same key.
public struct PledgeOutcome: Sendable {
    public var pledge: Pledge
    public var campaign: Campaign
    public var team: Team?
    public var replayed: Bool

    public init(pledge: Pledge, campaign: Campaign, team: Team? = nil, replayed: Bool) {
        self.pledge = pledge
        self.campaign = campaign
        self.team = team
        self.replayed = replayed
    }
}
