import TuanDomain
import TuanStore

extension Database {
    /// Closes a campaign (deadline reached, closed early, or called off) in one transaction:
    /// campaign status and final price, every pledge's new state, refunds or the supplier payable,
    /// and on success the group purchase order with its outbox message.
    public func closeCampaign(id: Int64, reason: CampaignSettlement.Reason, at now: Timestamp) throws -> CampaignSettlement {
        let campaign = try requireCampaign(id: id)
        let product = try requireProduct(sku: campaign.sku)
        let pledges = try pledges(campaignID: id)
        let leaders = try leaders(codes: Set(pledges.compactMap(\.leaderCode)))
        let settlement = try CampaignSettlement.settle(campaign, pledges: pledges, product: product, reason: reason, at: now,
                                                       teams: try teams(campaignID: id), leaders: leaders)
        try saveCampaignState(settlement.campaign, from: campaign)
        for team in settlement.expiredTeams { try saveTeam(team) }
        for pledge in settlement.pledges { try savePledgeStatus(pledge) }
        for entry in settlement.journal { try post(entry, at: now) }
        var settled = settlement
        // The order and its outbox message commit with the close, or not at all.
        if let order = settlement.purchaseOrder { settled.purchaseOrder = try insertPurchaseOrder(order) }
        return settled
    }
}
