import TuanDomain

extension TuanApplication {
    /// Creates a campaign for a product that exists, priced in its currency and capped within
    /// its supplier's capacity; published at once if asked.
    public func createCampaign(_ draft: CampaignDraft, publish: Bool, at now: Timestamp) -> UseCase<Campaign> {
        UseCase(self, .write, after: { _ in self.notify(.deadlines) }) { repositories in
            try self.createCampaign(draft, publish: publish, at: now, in: repositories)
        }
    }

    func createCampaign(_ draft: CampaignDraft, publish: Bool, at now: Timestamp, in repositories: any Repositories) throws -> Campaign {
        try draft.check(against: try repositories.product(sku: draft.sku))
        return try repositories.insertCampaign(draft, status: publish ? .open : .draft, at: now)
    }

    public func publishCampaign(id: Int64, at now: Timestamp) -> UseCase<Campaign> {
        UseCase(self, .write, after: { _ in self.notify(.deadlines) }) { repositories in
            let campaign = try repositories.requireCampaign(id: id)
            let published = try campaign.publishing()
            var changeset = Changeset()
            changeset.campaign(from: campaign, to: published)
            _ = try self.apply(changeset, to: repositories, at: now)
            return published
        }
    }

    /// Closes a campaign (deadline reached, closed early, or called off) in one transaction:
    /// its status and final price, every pledge's new state, refunds or the supplier payable,
    /// and on success the group purchase order with its outbox message.
    public func closeCampaign(id: Int64, reason: CampaignSettlement.Reason, at now: Timestamp) -> UseCase<CampaignSettlement> {
        UseCase(self, .write, after: { settlement in if settlement.purchaseOrder != nil { self.notify(.deliveries) } }) { repositories in
            try self.closeCampaign(id: id, reason: reason, at: now, in: repositories)
        }
    }

    func closeCampaign(id: Int64, reason: CampaignSettlement.Reason, at now: Timestamp,
                              in repositories: any Repositories) throws -> CampaignSettlement {
        let campaign = try repositories.requireCampaign(id: id)
        let pledges = try repositories.pledges(campaignID: id, status: nil)
        let leaders = try Set(pledges.compactMap(\.leaderCode)).sorted().compactMap { try repositories.leader(code: $0) }
        var settlement = try CampaignSettlement.settle(campaign, pledges: pledges, product: try repositories.requireProduct(sku: campaign.sku),
                                                       reason: reason, at: now, teams: try repositories.teams(campaignID: id),
                                                       leaders: leaders)
        let applied = try self.apply(.settling(settlement, from: campaign), to: repositories, at: now)
        settlement.purchaseOrder = applied.purchaseOrders.first
        return settlement
    }

    /// Expires a team that lapsed unfilled: its pledges are refunded and leave the campaign.
    public func expireTeam(id: Int64, at now: Timestamp) -> UseCase<TeamExpiry> {
        UseCase(self, .write) { repositories in try self.expireTeam(id: id, at: now, in: repositories) }
    }

    func expireTeam(id: Int64, at now: Timestamp, in repositories: any Repositories) throws -> TeamExpiry {
        let team = try repositories.requireTeam(id: id)
        let campaign = try repositories.requireCampaign(id: team.campaignID)
        let expiry = try campaign.expiring(team, pledges: try repositories.pledges(campaignID: campaign.id, status: nil), at: now)
        _ = try self.apply(.expiring(expiry, from: campaign), to: repositories, at: now)
        return expiry
    }

    public func campaign(id: Int64) -> UseCase<Campaign> {
        UseCase(self, .read) { try $0.requireCampaign(id: id) }
    }

    /// Campaigns, newest first, optionally of one status or SKU, before `afterID`.
    public func campaigns(status: CampaignStatus? = nil, sku: String? = nil, limit: Int = 100, afterID: Int64? = nil) -> UseCase<[Campaign]> {
        UseCase(self, .read) { try $0.campaigns(status: status, sku: sku, limit: limit, afterID: afterID) }
    }

    /// Campaigns still taking pledges, soonest deadline first.
    public func liveCampaigns(limit: Int) -> UseCase<[Campaign]> {
        UseCase(self, .read) { try $0.liveCampaigns(limit: limit) }
    }

    public func team(code: String) -> UseCase<Team?> {
        UseCase(self, .read) { try $0.team(code: code) }
    }
}
