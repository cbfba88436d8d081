/// Placing a pledge, decided purely: from the request and what the store loaded, either the
/// changeset to apply or the earlier pledge this request replays (or a refusal).
///
/// Idempotency is per (scope, key). A retry is rare, so the application loads the pledge
/// placed under the key only when it has to (`Prior.unchecked` otherwise): when the decision
/// is a refusal (the first attempt may have filled the campaign), when the insert hits the
/// key's unique index, or up front for a team pledge (its team is written before the pledge).
public enum PledgePlacement {
    /// The pledge already placed under this request's key, if the store looked.
    public enum Prior: Sendable {
        case unchecked
        case none
        case placed(Pledge, fingerprint: String)
    }

    /// Everything the decision reads, loaded in the write transaction.
    public struct Snapshot: Sendable {
        public var campaign: Campaign
        public var prior: Prior
        /// The leader whose code the request gives; nil when it gives none or the code is unknown.
        public var leader: Leader?
        /// For a join: the team with the given code, if any.
        public var team: Team?
        /// For a join: whether this consumer already stands in that team.
        public var consumerInTeam: Bool
        /// For an open: a code no team has yet.
        public var freshTeamCode: String?
        /// Units the consumer already holds in the campaign; loaded only when it limits them.
        public var consumerUnits: Int64 = 0

        public init(campaign: Campaign, prior: Prior, leader: Leader? = nil, team: Team? = nil, consumerInTeam: Bool = false,
                    freshTeamCode: String? = nil) {
            self.campaign = campaign
            self.prior = prior
            self.leader = leader
            self.team = team
            self.consumerInTeam = consumerInTeam
            self.freshTeamCode = freshTeamCode
        }
    }

    public enum Decision: Sendable {
        /// Apply `changeset`; the answer is its new pledge (its id assigned at insert), `campaign`
        /// after it, and the team it opens or joins (`Changeset.pledgeTeam`).
        case place(Changeset, campaign: Campaign)
        /// The request repeats the pledge placed earlier under its key.
        case replay(Pledge)
    }

    /// What identifies the request's content within its key's scope.
    public static func fingerprint(of request: PledgeRequest, campaignID: Int64) -> String {
        "\(campaignID)#" + request.fingerprint
    }

    /// Whether the prior pledge under the key must be loaded before deciding: a team pledge
    /// writes its team before the pledge, so the pledge's unique key cannot stand in for the look.
    public static func needsPriorUpFront(_ request: PledgeRequest) -> Bool { request.team != nil }

    public static func decide(_ request: PledgeRequest, scope: String, _ snapshot: Snapshot, at now: Timestamp) throws(DomainError) -> Decision {
        let fingerprint = fingerprint(of: request, campaignID: snapshot.campaign.id)
        switch snapshot.prior {
        case .placed(let pledge, let stored):
            guard stored == fingerprint else {
                throw DomainError(.idempotencyConflict, field: "idempotency_key", "this idempotency key was already used with a different request")
            }
            return .replay(pledge)
        case .none, .unchecked:
            break
        }
        let campaign = snapshot.campaign
        let (updated, lines) = try campaign.accepting(request, at: now)
        if let limit = campaign.maxPerConsumer, snapshot.consumerUnits + request.quantity > limit {
            throw DomainError(.consumerLimit, field: "quantity",
                              "\(request.consumerID) may hold at most \(limit) units of campaign \(campaign.id) and already holds \(snapshot.consumerUnits)")
        }
        let deposit = try campaign.deposit(for: request.quantity)
        var placed = request
        placed.pickupPoint = try pickupPoint(request, leader: snapshot.leader)
        var changeset = Changeset()
        let team = try self.team(for: request, snapshot, at: now, into: &changeset)
        var pledge = Pledge(id: 0, campaignID: campaign.id, request: placed, deposit: deposit, teamID: team?.id, at: now)
        if !lines.isEmpty {
            pledge.lines = lines
            pledge.hasStoredLines = true
            pledge.priceDeltaMinor = lines.reduce(0) { $0 + $1.deltaMinor }
        }
        changeset.newPledge = Changeset.NewPledge(pledge: pledge, idempotencyScope: scope, fingerprint: fingerprint)
        changeset.campaign(from: campaign, to: updated)
        if !deposit.isZero { changeset.newPledgeJournal.append(try .depositReceived(pledge)) }
        return .place(changeset, campaign: updated)
    }

    /// Where an order attributed to a leader is collected: the point given, else the leader's.
    /// An unknown code is refused rather than dropped: the caller can fix it or go without one.
    static func pickupPoint(_ request: PledgeRequest, leader: Leader?) throws(DomainError) -> String? {
        guard let code = request.leaderCode else { return request.pickupPoint }
        guard let leader, leader.code == code else { throw DomainError(.invalidField, field: "leader_code", "no group leader has the code \(code)", reason: .unknownLeader) }
        return request.pickupPoint ?? leader.pickupPoint
    }

    /// The team the pledge opens (inserted with the pledge) or joins (updated), if any.
    private static func team(for request: PledgeRequest, _ snapshot: Snapshot, at now: Timestamp,
                             into changeset: inout Changeset) throws(DomainError) -> Team? {
        guard let choice = request.team else { return nil }
        let campaign = snapshot.campaign
        let rule = try campaign.requireTeamRule()
        switch choice {
        case .open:
            guard let code = snapshot.freshTeamCode else { preconditionFailure("a team pledge's snapshot carries a fresh code") }
            let team = Team.opening(campaign: campaign, rule: rule, code: code, at: now)
            changeset.newTeam = team
            return team
        case .join(let code):
            guard let existing = snapshot.team, existing.code == code, existing.campaignID == campaign.id else {
                throw DomainError(.notFound, field: "team_code", "campaign \(campaign.id) has no team \(code)")
            }
            guard !snapshot.consumerInTeam else {
                throw DomainError(.conflict, field: "team_code", "\(request.consumerID) is already in team \(code)")
            }
            let joined = try existing.joining(at: now)
            changeset.teams.append(joined)
            return joined
        }
    }
}
