import TuanDomain

/// Group leaders (团长) and team-buy teams.
public protocol CommunityRepository {
    func insertLeader(_ leader: Leader, at now: Timestamp) throws -> Leader
    func leader(id: Int64) throws -> Leader?
    func leader(code: String) throws -> Leader?
    func leaders() throws -> [Leader]
    /// The leader's consumers in a campaign that still stand (not cancelled or refunded).
    func pickListEntries(leaderCode: String, campaignID: Int64) throws -> [PickList.Entry]
    func team(code: String) throws -> Team?
    func team(id: Int64) throws -> Team?
    func teams(campaignID: Int64) throws -> [Team]
    /// Whether `consumerID` has a pledge standing in the team.
    func isMember(consumerID: String, teamID: Int64) throws -> Bool
    /// Teams still forming after their window.
    func lapsedTeams(at now: Timestamp) throws -> [Int64]
    func nextTeamExpiry() throws -> Timestamp?
}
