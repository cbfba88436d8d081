import TuanDomain

extension TuanApplication {
    /// Registers a group leader under a code no leader has.
    public func registerLeader(_ leader: Leader, at now: Timestamp) -> UseCase<Leader> {
        UseCase(self, .write) { try self.registerLeader(leader, at: now, in: $0) }
    }

    func registerLeader(_ leader: Leader, at now: Timestamp, in repositories: any Repositories) throws -> Leader {
        try leader.checkNew(existing: try repositories.leader(code: leader.code))
        let saved = try repositories.insertLeader(leader, at: now)
        // Its pickup point as a record: made if new, run by this leader if no one runs it yet.
        if var point = try repositories.pickupPoint(name: saved.pickupPoint) {
            if point.leaderID == nil {
                point.leaderID = saved.id
                try repositories.savePickupPoint(point)
            }
        } else {
            _ = try repositories.insertPickupPoint(PickupPoint(restoringID: 0, name: saved.pickupPoint, address: nil, openingHours: nil,
                                                               timeZone: nil, capacityPerDay: nil, leaderID: saved.id))
        }
        return saved
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
            var entries = try repositories.pickListEntries(leaderCode: leader.code, campaignID: campaignID)
            // A campaign of items: each entry says what of each item, and counts what stands.
            if campaign.sellsItems {
                let pledges = Dictionary(uniqueKeysWithValues: try repositories.pledges(campaignID: campaignID, status: nil).map { ($0.id, $0) })
                for index in entries.indices {
                    guard let pledge = pledges[entries[index].pledgeID] else { continue }
                    entries[index].lines = pledge.lines.filter { $0.status == .active }
                    entries[index].quantity = pledge.liveQuantity
                }
            }
            return PickList(leader: leader, campaign: campaign, entries: entries)
        }
    }

    /// A leader's commission, net of reversals, per currency.
    public func commissionEarned(leaderCode: String) -> UseCase<[String: Int64]> {
        UseCase(self, .read) { try $0.commissionEarned(leaderCode: leaderCode) }
    }
}
