/// A team that did not fill within its window: its pledges are refunded and stop counting.
public struct TeamExpiry: Sendable {
    public var campaign: Campaign
    public var team: Team
    public var refundedPledges: [Pledge]
    public var journal: [JournalEntry]
}

extension Campaign {
    /// The team-buy rule a team pledge needs; campaigns without one refuse team pledges.
    public func requireTeamRule() throws(DomainError) -> TeamRule {
        guard let team else { throw .invalid("team", "campaign \(id) does not offer team buys") }
        return team
    }

    /// Expires `team` (past its window, not filled): every pledge still in it is refunded and
    /// taken off the campaign's count.
    public func expiring(_ team: Team, pledges: [Pledge], at now: Timestamp) throws(DomainError) -> TeamExpiry {
        guard team.campaignID == id, team.hasLapsed(at: now) else {
            throw DomainError(.invalidTransition, "team \(team.code) has not lapsed")
        }
        var campaign = self
        var refunded: [Pledge] = []
        var journal: [JournalEntry] = []
        for pledge in pledges where pledge.teamID == team.id && pledge.status == .pledged {
            refunded.append(try pledge.transitioned(to: .refunded, at: now))
            if !pledge.deposit.isZero { journal.append(try .depositRefunded(pledge)) }
            // Taking a pledge off never goes below zero or past the cap, and may un-tip.
            campaign.pledgedQuantity -= pledge.quantity
            campaign.pledgeCount -= 1
        }
        if campaign.status == .tipped, !campaign.isTipped { campaign.status = .open }
        return TeamExpiry(campaign: campaign, team: team.expired(), refundedPledges: refunded, journal: journal)
    }
}
