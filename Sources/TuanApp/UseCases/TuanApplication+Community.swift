import TuanDomain

extension TuanApplication {
    /// Registers a group leader under a code no leader has.
    public func registerLeader(_ leader: Leader, at now: Timestamp) -> UseCase<Leader> {
        UseCase(self, .write) { try self.registerLeader(leader, at: now, in: $0) }
    }

    func registerLeader(_ leader: Leader, at now: Timestamp, in repositories: any Repositories) throws -> Leader {
        try leader.checkNew(existing: try repositories.leader(code: leader.code))
        return try repositories.insertLeader(leader, at: now)
    }

    public func leader(id: Int64) -> UseCase<Leader> {
        UseCase(self, .read) { try $0.requireLeader(id: id) }
    }

    public func leaders() -> UseCase<[Leader]> {
        UseCase(self, .read) { try $0.leaders() }
    }

    /// What a leader hands out for one campaign.
    public func pickList(leaderID: Int64, campaignID: Int64) -> UseCase<PickList> {
        UseCase(self, .read) { repositories in
            let leader = try repositories.requireLeader(id: leaderID)
            let campaign = try repositories.requireCampaign(id: campaignID)
            return PickList(leader: leader, campaign: campaign,
                            entries: try repositories.pickListEntries(leaderCode: leader.code, campaignID: campaignID))
        }
    }

    /// A leader's commission, net of reversals, per currency.
    public func commissionEarned(leaderCode: String) -> UseCase<[String: Int64]> {
        UseCase(self, .read) { try $0.commissionEarned(leaderCode: leaderCode) }
    }
}
