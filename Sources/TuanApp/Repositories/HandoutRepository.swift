import TuanDomain

/// Hand-out at pickup points: who collected what, and each leader's list.
public protocol HandoutRepository {
    /// When the pledge was collected; nil while it was not.
    func collectedAt(pledgeID: Int64) throws -> Timestamp?
    func savePickup(pledgeID: Int64, leaderID: Int64, at now: Timestamp) throws
    /// The standing pledges (confirmed or paid) of succeeded campaigns that `leader` hands out,
    /// soonest ready first: only those not collected (`collected` false), only those collected
    /// (true) or all (nil); with `readyBefore`, only those whose goods arrived before it.
    func handoutEntries(leader: Leader, collected: Bool?, readyBefore: Timestamp?, limit: Int) throws -> [Handout.Entry]
}

extension SettingName {
    /// The hex secret pickup codes are derived from (made by migration 20).
    public static let pickupCodeSecret = "pickup_code_secret"
}
