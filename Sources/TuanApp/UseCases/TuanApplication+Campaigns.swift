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
    /// and on success the group purchase order with its outbox message. The domain decides a
    /// `SettlementPlan` from the campaign and a few figures the store sums; the store applies it
    /// to the pledges set-based, then sums what the order and the commissions need.
    public func closeCampaign(id: Int64, reason: CampaignSettlement.Reason, at now: Timestamp) -> UseCase<CampaignClose> {
        UseCase(self, .write, after: { close in if close.purchaseOrder != nil { self.notify(.deliveries) } }) { repositories in
            try self.closeCampaign(id: id, reason: reason, at: now, in: repositories)
        }
    }

    func closeCampaign(id: Int64, reason: CampaignSettlement.Reason, at now: Timestamp,
                       in repositories: any Repositories) throws -> CampaignClose {
        let campaign = try repositories.requireCampaign(id: id)
        let teams = try repositories.teams(campaignID: id)
        let unfilled = teams.filter { $0.status != .filled }.map(\.id)
        let leaders = try repositories.pledgedLeaderCodes(campaignID: id).compactMap { try repositories.leader(code: $0) }
        let plan = try SettlementPlan.decide(campaign, reason: reason, teams: teams,
                                             unfilled: try repositories.pledgedTotals(campaignID: id, teamIDs: unfilled),
                                             leaders: leaders, at: now)
        let (confirmed, refunded) = try repositories.settlePledges(plan)
        var changeset = plan.changeset
        let (demand, journal, order) = try plan.conclusion(product: try repositories.requireProduct(sku: campaign.sku),
                                                           destinations: try repositories.confirmedDestinations(campaignID: id),
                                                           commissions: try repositories.commissionTotals(campaignID: id))
        changeset.journal = journal
        changeset.purchaseOrders = order.map { [$0] } ?? []
        let applied = try self.apply(changeset, to: repositories, at: now)
        return CampaignClose(campaign: plan.campaign, pledgesConfirmed: confirmed, pledgesRefunded: refunded, demand: demand,
                             purchaseOrder: applied.purchaseOrders.first)
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
