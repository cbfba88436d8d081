import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    public func insertLeader(_ leader: Leader, at now: Timestamp) throws -> Leader {
        var saved = leader
        saved.id = try connection.insert("""
            INSERT INTO leaders(code, name, pickup_point, commission_bps, member_limit, created_at) VALUES (?, ?, ?, ?, ?, ?)
            """, [.text(leader.code), .text(leader.name), .text(leader.pickupPoint), .integer(leader.commissionBasisPoints),
                  .integer(leader.memberLimit), .integer(now.seconds)])
        return saved
    }

    public func leader(id: Int64) throws -> Leader? {
        try connection.queryOne(Self.leaderColumns + " WHERE id = ?", [.integer(id)], Self.leader)
    }

    public func leader(code: String) throws -> Leader? {
        try connection.queryOne(Self.leaderColumns + " WHERE code = ?", [.text(code)], Self.leader)
    }

    public func leaders() throws -> [Leader] {
        try connection.query(Self.leaderColumns + " ORDER BY id", [], Self.leader)
    }

    public func pickListEntries(leaderCode: String, campaignID: Int64) throws -> [PickList.Entry] {
        try connection.query("""
            SELECT id, consumer_id, quantity, pickup_point, status FROM pledges
            WHERE leader_code = ? AND campaign_id = ? AND status IN ('pledged', 'confirmed', 'paid', 'defaulted')
            ORDER BY consumer_id, id
            """, [.text(leaderCode), .integer(campaignID)]) { row in
            PickList.Entry(pledgeID: row.int(0), consumerID: row.string(1), quantity: row.int(2), pickupPoint: row.optionalString(3),
                           status: PledgeStatus(rawValue: row.string(4)) ?? .pledged)
        }
    }

    static let leaderColumns = "SELECT id, code, name, pickup_point, commission_bps, member_limit FROM leaders"

    static func leader(_ row: Row) throws -> Leader {
        Leader(restoringID: row.int(0), code: row.string(1), name: row.string(2), pickupPoint: row.string(3),
               commissionBasisPoints: row.int(4), memberLimit: row.int(5))
    }
}
