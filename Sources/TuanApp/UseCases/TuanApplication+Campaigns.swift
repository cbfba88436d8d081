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
        var draft = draft
        if draft.sellsItems {
            draft = try draft.checkingItems(against: draft.items.map { try repositories.product(sku: $0.sku) })
        } else {
            try draft.check(against: try repositories.product(sku: draft.sku))
        }
        let campaign = try repositories.insertCampaign(draft, status: publish ? .open : .draft, at: now)
        if publish { try repositories.recordEvents([.campaign(.campaignPublished, campaign)], at: now) }
        return campaign
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

    /// Closes a campaign (deadline reached, closed early, or called off): its status and final
    /// price, every pledge's new state, refunds or the supplier payable, and on success the
    /// group purchase order with its outbox message. The domain decides a `SettlementPlan` from
    /// the campaign and a few sums, in one short transaction that makes the campaign `closing`;
    /// the store then settles its pledges set-based in chunks of `settlementChunk`, each its own
    /// transaction (other writers run between them); a last one concludes. A campaign found
    /// `closing` (a close interrupted by a restart) resumes where it stopped.
    public func closeCampaign(id: Int64, reason: CampaignSettlement.Reason, at now: Timestamp) -> UseCase<CampaignClose> {
        let chunk = settlementChunk
        return UseCase(self, after: { close in
            if close.purchaseOrder != nil { self.notify(.deliveries) }
            if close.waitsForCutOff { self.notify(.deadlines) }
        },
                       steps: .write { repositories in
            let (plan, settled) = try self.beginClose(id: id, reason: reason, at: now, in: repositories)
            return self.settleStep(plan, settled: settled, chunk: chunk)
        })
    }

    /// A chunk of pledges per transaction, then the sums on a reader, then the conclusion.
    private func settleStep(_ plan: SettlementPlan, settled: SettledPledges, chunk: Int) -> UseCase<CampaignClose>.Step {
        .write { repositories in
            guard let total = try self.settleChunk(plan, settled: settled, limit: chunk, in: repositories) else {
                return .read { repositories in
                    let sums = try Self.closeSums(plan, in: repositories)
                    return .write { repositories in try .done(self.concludeClose(plan, settled: settled, sums: sums, in: repositories)) }
                }
            }
            return self.settleStep(plan, settled: total, chunk: chunk)
        }
    }

    /// Settles the next `limit` pledges and keeps the count with the plan, in the caller's
    /// transaction; nil when no pledge was left to settle.
    func settleChunk(_ plan: SettlementPlan, settled: SettledPledges, limit: Int, in repositories: any Repositories) throws -> SettledPledges? {
        let more = try repositories.settlePledges(plan, limit: limit)
        guard !more.isEmpty else { return nil }
        let total = settled.adding(more)
        try repositories.saveSettlementPlan(plan, settled: total)
        return total
    }

    /// The whole close in the caller's one transaction (the simulator's loader).
    func closeCampaign(id: Int64, reason: CampaignSettlement.Reason, at now: Timestamp,
                       in repositories: any Repositories) throws -> CampaignClose {
        let (plan, firstSettled) = try beginClose(id: id, reason: reason, at: now, in: repositories)
        var settled = firstSettled
        while let total = try settleChunk(plan, settled: settled, limit: settlementChunk, in: repositories) { settled = total }
        return try concludeClose(plan, settled: settled, sums: Self.closeSums(plan, in: repositories), in: repositories)
    }

    /// Decides the close and makes the campaign `closing`, or finds the plan of a close begun earlier.
    func beginClose(id: Int64, reason: CampaignSettlement.Reason, at now: Timestamp,
                    in repositories: any Repositories) throws -> (SettlementPlan, SettledPledges) {
        let campaign = try repositories.requireCampaign(id: id)
        if campaign.status == .closing {
            guard let kept = try repositories.settlementPlan(closing: campaign) else {
                throw DomainError(.conflict, "campaign \(id) is closing but its plan is missing")
            }
            // Resuming carries out what was decided; calling off a close decided otherwise is refused.
            guard reason != .cancelled || kept.plan.outcome == .cancelled else {
                throw DomainError(.invalidTransition, "campaign \(id) is closing as \(kept.plan.outcome.rawValue) and cannot be called off")
            }
            return (kept.plan, kept.settled)
        }
        let teams = try repositories.teams(campaignID: id)
        let unfilled = teams.filter { $0.status != .filled }.map(\.id)
        let leaders = try repositories.pledgedLeaderCodes(campaignID: id).compactMap { try repositories.leader(code: $0) }
        let plan = try SettlementPlan.decide(campaign, reason: reason, teams: teams,
                                             unfilled: try repositories.pledgedTotals(campaignID: id, teamIDs: unfilled),
                                             leaders: leaders, at: now)
        _ = try self.apply(plan.opening(from: campaign), to: repositories, at: now)
        try repositories.saveSettlementPlan(plan, settled: .none)
        return (plan, .none)
    }

    /// What the order and the commissions need, summed once no pledge is left `pledged`.
    private static func closeSums(_ plan: SettlementPlan,
                                  in repositories: any Repositories) throws -> (destinations: [String: [AggregatedDemand.Destination]], commissions: [String: Int64]) {
        let campaign = plan.closing
        let destinations = campaign.sellsItems ? try repositories.confirmedLineDestinations(campaignID: campaign.id)
                                               : [campaign.sku: try repositories.confirmedDestinations(campaignID: campaign.id)]
        return (destinations, try repositories.commissionTotals(campaignID: campaign.id))
    }

    /// Once no pledge is left `pledged`: the order, the commissions, the payable, the final status.
    private func concludeClose(_ plan: SettlementPlan, settled: SettledPledges,
                               sums: (destinations: [String: [AggregatedDemand.Destination]], commissions: [String: Int64]),
                               in repositories: any Repositories) throws -> CampaignClose {
        let current = try repositories.requireCampaign(id: plan.closing.id)
        guard current.status == .closing else {
            throw DomainError(.conflict, "campaign \(plan.closing.id) was concluded by another close")
        }
        let skus = plan.closing.sellsItems ? plan.closing.items.map(\.sku) : [plan.closing.sku]
        let products = try skus.map { try repositories.requireProduct(sku: $0) }
        // A supplier with a daily cut-off orders the day's campaigns together: rounding and stock wait for it.
        let cycle = plan.succeeded ? try repositories.requireSupplier(id: products[0].supplierID).orderCycle : .immediate
        // Stock serves first (read here, on the writer, so two closes never take the same units).
        var stock: [String: Int64] = [:]
        for sku in skus { stock[sku] = try repositories.stockLevel(sku: sku) }
        // A rounding rule that orders less than is confirmed refunds the latest lines: only those pledges are loaded.
        var tail: [Pledge] = []
        for cut in try plan.roundingCuts(products: products, destinations: sums.destinations, stock: stock, cycle: cycle) {
            for pledge in try repositories.latestConfirmedPledges(campaignID: plan.closing.id, sku: plan.closing.sellsItems ? cut.sku : nil,
                                                                  units: cut.tailUnits) where !tail.contains(where: { $0.id == pledge.id }) {
                tail.append(pledge)
            }
        }
        let conclusion = try plan.conclusion(products: products, destinations: sums.destinations, commissions: sums.commissions, tail: tail,
                                             stock: stock, cycle: cycle)
        let demands = conclusion.demands
        let applied = try self.apply(plan.concluding(conclusion), to: repositories, at: plan.at)
        try repositories.clearSettlementPlan(campaignID: plan.closing.id)
        return CampaignClose(campaign: plan.campaign, pledgesConfirmed: settled.confirmed, pledgesRefunded: settled.refunded,
                             demands: demands, purchaseOrder: applied.purchaseOrders.first, cutOffAt: conclusion.cycleMember?.cutOffAt)
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

extension TuanApplication {
    /// Edits a live campaign's terms, only in ways that cannot worsen them for people who have
    /// pledged (`Campaign.editing`); a later deadline moves the scheduler's next close.
    public func editCampaign(id: Int64, _ edit: CampaignEdit, at now: Timestamp) -> UseCase<Campaign> {
        UseCase(self, .write, after: { _ in self.notify(.deadlines) }) { repositories in
            let (changeset, edited) = try Changeset.editing(try repositories.requireCampaign(id: id), edit, at: now)
            _ = try self.apply(changeset, to: repositories, at: now)
            return edited
        }
    }
}
