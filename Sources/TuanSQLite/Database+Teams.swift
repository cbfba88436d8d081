import TuanDomain
import TuanStore

extension Database {
    public func team(code: String) throws -> Team? {
        try connection.queryOne(Self.teamColumns + " WHERE code = ?", [.text(code)], Self.team)
    }

    public func team(id: Int64) throws -> Team? {
        try connection.queryOne(Self.teamColumns + " WHERE id = ?", [.integer(id)], Self.team)
    }

    public func teams(campaignID: Int64) throws -> [Team] {
        try connection.query(Self.teamColumns + " WHERE campaign_id = ? ORDER BY id", [.integer(campaignID)], Self.team)
    }

    /// Teams still forming after their window: the sweep expires these.
    public func lapsedTeams(at now: Timestamp) throws -> [Int64] {
        try connection.query("SELECT id FROM teams WHERE status = 'forming' AND expires_at <= ? ORDER BY expires_at",
                             [.integer(now.seconds)]) { $0.int(0) }
    }

    public func nextTeamExpiry() throws -> Timestamp? {
        try connection.scalarInt("SELECT MIN(expires_at) FROM teams WHERE status = 'forming'").map(Timestamp.init)
    }

    /// Expires a lapsed team in the caller's transaction: its pledges are refunded and leave
    /// the campaign's count.
    public func expireTeam(id: Int64, at now: Timestamp) throws -> TeamExpiry {
        guard let team = try team(id: id) else {
            throw DomainError(.notFound, field: "team_id", "team \(id) does not exist")
        }
        let campaign = try requireCampaign(id: team.campaignID)
        let expiry = try campaign.expiring(team, pledges: try pledges(campaignID: campaign.id), at: now)
        try saveTeam(expiry.team)
        for pledge in expiry.refundedPledges { try savePledgeStatus(pledge) }
        try saveCampaignState(expiry.campaign, from: campaign)
        for entry in expiry.journal { try post(entry, at: now) }
        return expiry
    }

    /// The team a new pledge opens or joins, saved; its id goes on the pledge.
    func teamForPledge(_ choice: PledgeRequest.TeamChoice, consumerID: String, campaign: Campaign, at now: Timestamp) throws -> Team {
        let rule = try campaign.requireTeamRule()
        switch choice {
        case .open:
            var generator = SystemRandomNumberGenerator()
            var code = Team.newCode(using: &generator)
            while try team(code: code) != nil { code = Team.newCode(using: &generator) }
            var team = Team.opening(campaign: campaign, rule: rule, code: code, at: now)
            team.id = try connection.insert("""
                INSERT INTO teams(campaign_id, code, size, member_count, status, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.integer(campaign.id), .text(team.code), .integer(team.size), .integer(team.memberCount),
                      .text(team.status.rawValue), .integer(team.expiresAt.seconds), .integer(now.seconds)])
            return team
        case .join(let code):
            guard let existing = try team(code: code), existing.campaignID == campaign.id else {
                throw DomainError(.notFound, field: "team_code", "campaign \(campaign.id) has no team \(code)")
            }
            let already = try connection.scalarInt("""
                SELECT COUNT(*) FROM pledges WHERE team_id = ? AND consumer_id = ? AND status = 'pledged'
                """, [.integer(existing.id), .text(consumerID)]) ?? 0
            guard already == 0 else {
                throw DomainError(.conflict, field: "team_code", "\(consumerID) is already in team \(code)")
            }
            let joined = try existing.joining(at: now)
            try saveTeam(joined)
            return joined
        }
    }

    func saveTeam(_ team: Team) throws {
        try connection.run("UPDATE teams SET member_count = ?, status = ? WHERE id = ?",
                           [.integer(team.memberCount), .text(team.status.rawValue), .integer(team.id)])
    }

    static let teamColumns = "SELECT id, campaign_id, code, size, member_count, status, expires_at, created_at FROM teams"

    static func team(_ row: Row) throws -> Team {
        Team(id: row.int(0), campaignID: row.int(1), code: row.string(2), size: row.int(3), memberCount: row.int(4),
             status: Team.Status(rawValue: row.string(5)) ?? .forming, expiresAt: Timestamp(seconds: row.int(6)),
             createdAt: Timestamp(seconds: row.int(7)))
    }
}
