import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
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

    public func isMember(consumerID: String, teamID: Int64) throws -> Bool {
        try connection.scalarInt("SELECT COUNT(*) FROM pledges WHERE team_id = ? AND consumer_id = ? AND status = 'pledged'",
                                 [.integer(teamID), .text(consumerID)]) ?? 0 > 0
    }

    func insertTeam(_ team: Team) throws -> Int64 {
        try connection.insert("""
            INSERT INTO teams(campaign_id, code, size, member_count, status, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.integer(team.campaignID), .text(team.code), .integer(team.size), .integer(team.memberCount),
                  .text(team.status.rawValue), .integer(team.expiresAt.seconds), .integer(team.createdAt.seconds)])
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
