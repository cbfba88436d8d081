import TuanDomain
import TuanStore

/// What a leader hands out for one campaign: each consumer's pledges, with the totals that must
/// match the purchase order's line for the leader's destination.
public struct PickList: Sendable {
    public struct Entry: Sendable {
        public var pledgeID: Int64
        public var consumerID: String
        public var quantity: Int64
        public var pickupPoint: String?
        public var status: PledgeStatus
    }

    public var leader: Leader
    public var campaign: Campaign
    public var entries: [Entry]
    public var totalQuantity: Int64 { entries.reduce(0) { $0 + $1.quantity } }
    public var consumerCount: Int { Set(entries.map(\.consumerID)).count }
    /// More consumers than the leader's group holds: shown, never used to drop a pledge.
    public var exceedsMemberLimit: Bool { Int64(consumerCount) > leader.memberLimit }
}

extension Database {
    public func insertLeader(_ leader: Leader, at now: Timestamp) throws -> Leader {
        if try self.leader(code: leader.code) != nil {
            throw DomainError(.conflict, field: "code", "a leader with the code \(leader.code) already exists")
        }
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

    public func requireLeader(id: Int64) throws -> Leader {
        guard let leader = try leader(id: id) else { throw DomainError(.notFound, field: "leader_id", "leader \(id) does not exist") }
        return leader
    }

    public func leaders() throws -> [Leader] {
        try connection.query(Self.leaderColumns + " ORDER BY id", [], Self.leader)
    }

    /// Where an order attributed to `leaderCode` is collected: the point given, else the leader's.
    /// An unknown code is refused rather than dropped: the caller can fix it or go without one.
    func pickupPoint(leaderCode: String?, given: String?) throws -> String? {
        guard let code = leaderCode else { return given }
        guard let leader = try leader(code: code) else {
            throw DomainError.invalid("leader_code", "no group leader has the code \(code)")
        }
        return given ?? leader.pickupPoint
    }

    /// The leaders named by `codes` that exist.
    func leaders(codes: Set<String>) throws -> [Leader] {
        try codes.sorted().compactMap { try leader(code: $0) }
    }

    /// The leader's consumers in `campaignID` that still stand (not cancelled or refunded).
    public func pickList(leaderID: Int64, campaignID: Int64) throws -> PickList {
        let leader = try requireLeader(id: leaderID)
        let campaign = try requireCampaign(id: campaignID)
        let entries = try connection.query("""
            SELECT id, consumer_id, quantity, pickup_point, status FROM pledges
            WHERE leader_code = ? AND campaign_id = ? AND status IN ('pledged', 'confirmed', 'paid', 'defaulted')
            ORDER BY consumer_id, id
            """, [.text(leader.code), .integer(campaignID)]) { row in
            PickList.Entry(pledgeID: row.int(0), consumerID: row.string(1), quantity: row.int(2), pickupPoint: row.optionalString(3),
                           status: PledgeStatus(rawValue: row.string(4)) ?? .pledged)
        }
        return PickList(leader: leader, campaign: campaign, entries: entries)
    }

    static let leaderColumns = "SELECT id, code, name, pickup_point, commission_bps, member_limit FROM leaders"

    static func leader(_ row: Row) throws -> Leader {
        try Leader(id: row.int(0), code: row.string(1), name: row.string(2), pickupPoint: row.string(3),
                   commissionBasisPoints: row.int(4), memberLimit: row.int(5))
    }
}
