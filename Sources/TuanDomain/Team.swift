/// One team in a team-buy campaign: opened by a pledge, joined by others with its code, and
/// either filled within its window or expired (its pledges refunded).
public struct Team: Hashable, Sendable {
    public enum Status: String, Sendable, CaseIterable {
        case forming, filled, expired
    }

    public var id: Int64
    public var campaignID: Int64
    /// Short shareable code, e.g. `T7K2M9QX`.
    public var code: String
    public var size: Int64
    public var memberCount: Int64
    public var status: Status
    public var expiresAt: Timestamp
    public var createdAt: Timestamp

    public init(id: Int64, campaignID: Int64, code: String, size: Int64, memberCount: Int64, status: Status,
                expiresAt: Timestamp, createdAt: Timestamp) {
        self.id = id
        self.campaignID = campaignID
        self.code = code
        self.size = size
        self.memberCount = memberCount
        self.status = status
        self.expiresAt = expiresAt
        self.createdAt = createdAt
    }

    /// A team opened by the first pledge now: it must fill before its window ends or the
    /// campaign closes, whichever comes first.
    public static func opening(campaign: Campaign, rule: TeamRule, code: String, at now: Timestamp) -> Team {
        let window = Timestamp(seconds: min(now.seconds + rule.windowSeconds, campaign.closesAt.seconds))
        return Team(id: 0, campaignID: campaign.id, code: code, size: rule.size, memberCount: 1,
                    status: rule.size == 1 ? .filled : .forming, expiresAt: window, createdAt: now)
    }

    public var spotsLeft: Int64 { max(0, size - memberCount) }

    /// The team with one more member; full teams and expired ones refuse.
    public func joining(at now: Timestamp) throws(DomainError) -> Team {
        guard status == .forming, now < expiresAt else {
            throw DomainError(.teamClosed, field: "team_code", status == .filled
                ? "team \(code) is already full" : "team \(code) expired at \(expiresAt)")
        }
        var next = self
        next.memberCount += 1
        if next.memberCount >= size { next.status = .filled }
        return next
    }

    /// A member cancels before the team filled; a filled team is a promise to the others, so
    /// its members can no longer leave.
    public func leaving() throws(DomainError) -> Team {
        guard status == .forming else {
            throw DomainError(.cancellationClosed, "team \(code) is \(status.rawValue); its pledges can no longer be cancelled")
        }
        var next = self
        next.memberCount -= 1
        if next.memberCount <= 0 { next.status = .expired }
        return next
    }

    /// Whether the team is past its window without filling.
    public func hasLapsed(at now: Timestamp) -> Bool { status == .forming && now >= expiresAt }

    public func expired() -> Team {
        var next = self
        next.status = .expired
        return next
    }

    /// Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L), easy to read aloud.
    public static func newCode<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
        return "T" + String((0..<7).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
