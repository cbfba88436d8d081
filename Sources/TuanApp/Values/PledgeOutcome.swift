import TuanDomain

/// The answer to a pledge request: the pledge, the campaign after it, the team-buy team it
/// opened or joined, and whether this was a replay of an earlier request with the same key.
///
/// A class, immutable: the answer travels from the writer thread through the generic
/// transaction and continuation machinery to the handler, and each hop copied the struct's
/// pledge and campaign field by field (a measurable part of a pledge's instructions); a
/// reference is copied with one retain.
public final class PledgeOutcome: Sendable {
    public let pledge: Pledge
    public let campaign: Campaign
    public let team: Team?
    public let replayed: Bool

    public init(pledge: Pledge, campaign: Campaign, team: Team? = nil, replayed: Bool) {
        self.pledge = pledge
        self.campaign = campaign
        self.team = team
        self.replayed = replayed
    }
}
