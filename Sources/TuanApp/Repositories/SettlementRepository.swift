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
    /// refunded; `SettledPledges.none` when no pledge is left.
    func settlePledges(_ plan: SettlementPlan, limit: Int) throws -> SettledPledges
    /// Keeps a closing campaign's plan with the pledges settled so far.
    func saveSettlementPlan(_ plan: SettlementPlan, settled: SettledPledges) throws
    /// The close has concluded: its plan is no longer kept.
    func clearSettlementPlan(campaignID: Int64) throws
    /// The plan kept with `closing` (a campaign in `closing`), and the pledges settled so far.
    func settlementPlan(closing: Campaign) throws -> (plan: SettlementPlan, settled: SettledPledges)?
    /// The campaign's confirmed units and pledges per stored (pickup point, leader code).
    func confirmedDestinations(campaignID: Int64) throws -> [AggregatedDemand.Destination]
    /// Per SKU of a campaign that sells items: its confirmed pledges' active lines per (pickup point, leader code).
    func confirmedLineDestinations(campaignID: Int64) throws -> [String: [AggregatedDemand.Destination]]
    /// The campaign's latest confirmed pledges (with their lines), newest first, until they hold
    /// at least `units` of `sku` (every unit, for a campaign of one implicit item: `sku` nil), or all.
    func latestConfirmedPledges(campaignID: Int64, sku: String?, units: Int64) throws -> [Pledge]
    /// As `latestConfirmedPledges`, of the pledges that stand after the close (confirmed or
    /// paid): a supplier's cut-off comes after balances start being paid.
    func latestStandingPledges(campaignID: Int64, sku: String?, units: Int64) throws -> [Pledge]
    /// Per SKU, the units of the pledges that stand (confirmed or paid) summed per (pickup
    /// point, leader): what a supplier's cut-off orders for a campaign.
    func standingDestinations(campaignID: Int64) throws -> [String: [AggregatedDemand.Destination]]
    /// Commission per leader code over the campaign's confirmed pledges that carry one.
    func commissionTotals(campaignID: Int64) throws -> [String: Int64]
}
