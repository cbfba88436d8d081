/// A group leader (团长): runs a chat group and a pickup point, brings in pledges under a
/// referral code and earns a commission on the pledges that go through.
public struct Leader: Hashable, Sendable {
    public var id: Int64
    /// Referral code consumers give with their pledge (`leader_code`); unique.
    public var code: String
    public var name: String
    /// Where the leader's consumers collect their goods; a pledge's default pickup point.
    public var pickupPoint: String
    /// Commission in basis points (1/100 of a percent) of what the leader's consumers pay.
    public var commissionBasisPoints: Int64
    /// How many distinct consumers the leader's group can hold. A campaign past it is flagged
    /// on the pick list; pledges are never dropped for it.
    public var memberLimit: Int64

    /// A WeChat group holds at most 500 members, the usual home of a leader's customers.
    public static let defaultMemberLimit: Int64 = 500
    /// Commission above 50% of the price would be a pricing error, not a commission.
    public static let maximumCommissionBasisPoints: Int64 = 5_000

    public init(id: Int64, code: String, name: String, pickupPoint: String, commissionBasisPoints: Int64,
                memberLimit: Int64 = Leader.defaultMemberLimit) throws(DomainError) {
        try Validate.identifier(code, field: "code")
        try Validate.text(name, field: "name", maxLength: 200)
        try Validate.text(pickupPoint, field: "pickup_point", maxLength: 200)
        guard (0...Self.maximumCommissionBasisPoints).contains(commissionBasisPoints) else {
            throw .invalid("commission_bps", "must be 0-\(Self.maximumCommissionBasisPoints) basis points")
        }
        try Validate.positive(memberLimit, field: "member_limit", max: 100_000)
        self.init(restoringID: id, code: code, name: name, pickupPoint: pickupPoint, commissionBasisPoints: commissionBasisPoints,
                  memberLimit: memberLimit)
    }

    /// The commission on `total` paid by one consumer: rounded down to the minor unit, so that
    /// the sum over pledges never exceeds the rate applied to their sum.
    public func commission(on total: Money) throws(DomainError) -> Money {
        let (scaled, overflow) = total.minor.multipliedReportingOverflow(by: commissionBasisPoints)
        guard !overflow else { throw DomainError(.overflow, "commission on \(total) overflows") }
        return Money(minor: scaled / 10_000, currency: total.currency)
    }
}
