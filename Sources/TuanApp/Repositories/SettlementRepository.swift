import TuanDomain

/// A campaign's close, over however many pledges it has: figures summed in the store, and the
/// plan (decided in the domain) applied to every pledge still `pledged` with set-based
/// statements, never one pledge at a time and never all of them loaded.
public protocol SettlementRepository {
    /// Units and number of the campaign's `pledged` pledges in these teams.
    func pledgedTotals(campaignID: Int64, teamIDs: [Int64]) throws -> (units: Int64, pledges: Int64)
    /// The codes of the leaders the campaign's `pledged` pledges name, sorted.
    func pledgedLeaderCodes(campaignID: Int64) throws -> [String]
    /// Applies `plan.disposition(of:)` to the first `limit` pledges of the campaign still
    /// `pledged` (by id): its new status and commission, and each refunded deposit's journal
    /// entry with its postings and running balances. Returns how many were confirmed and
    /// refunded; none when no pledge is left.
    func settlePledges(_ plan: SettlementPlan, limit: Int) throws -> (confirmed: Int64, refunded: Int64)
    /// Keeps a closing campaign's plan (nil when the close concludes), with the counts settled so far.
    func saveSettlementPlan(_ plan: SettlementPlan?, campaignID: Int64, settled: (confirmed: Int64, refunded: Int64)) throws
    /// The plan kept with `closing` (a campaign in `closing`), and the counts settled so far.
    func settlementPlan(closing: Campaign) throws -> (plan: SettlementPlan, confirmed: Int64, refunded: Int64)?
    /// The campaign's confirmed units and pledges per stored (pickup point, leader code).
    func confirmedDestinations(campaignID: Int64) throws -> [AggregatedDemand.Destination]
    /// Commission per leader code over the campaign's confirmed pledges that carry one.
    func commissionTotals(campaignID: Int64) throws -> [String: Int64]
}
