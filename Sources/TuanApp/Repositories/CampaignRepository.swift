import TuanDomain

/// Campaigns: inserted whole, then changed only through changesets.
public protocol CampaignRepository {
    func insertCampaign(_ draft: CampaignDraft, status: CampaignStatus, at now: Timestamp) throws -> Campaign
    /// The campaign as this transaction sees it, totals not yet written included.
    func campaign(id: Int64) throws -> Campaign?
    /// Newest first, optionally of one status or SKU, before `afterID`.
    func campaigns(status: CampaignStatus?, sku: String?, limit: Int, afterID: Int64?) throws -> [Campaign]
    /// Campaigns still taking pledges, soonest deadline first.
    func liveCampaigns(limit: Int) throws -> [Campaign]
    /// Live campaigns whose deadline has passed.
    func campaignsDueToClose(at now: Timestamp) throws -> [Int64]
    /// The soonest deadline of a live campaign.
    func nextCampaignDeadline() throws -> Timestamp?
}
