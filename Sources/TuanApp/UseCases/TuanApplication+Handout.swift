import TuanDomain

extension TuanApplication {
    /// A leader hands a pledge out by the code its consumer shows (`Handout.collecting`
    /// decides); a `pledge.collected` event follows.
    public func collectPledge(code: String, leaderID: Int64, at now: Timestamp) -> UseCase<(Pledge, Timestamp)> {
        UseCase(self, .write) { repositories in
            let leader = try repositories.requireLeader(id: leaderID)
            let secret = try Self.pickupSecret(in: repositories)
            // What the code names, when it names anything: decided below, with every refusal.
            let named = PickupCode.verify(code, secret: secret).flatMap { $0.matches ? $0.pledgeID : nil }
            let found = try named.flatMap { try repositories.pledge(id: $0) }
            let pledge = try Handout.collecting(code: code, secret: secret, pledge: found,
                                                order: try found.flatMap { try repositories.purchaseOrder(campaignID: $0.campaignID) },
                                                collectedAt: try found.flatMap { try repositories.collectedAt(pledgeID: $0.id) }, leader: leader,
                                                awaitingCutOff: try found.flatMap { try repositories.cycleMember(campaignID: $0.campaignID) }
                                                    .map { $0.cutAt == nil } ?? false)
            try repositories.savePickup(pledgeID: pledge.id, leaderID: leader.id, at: now)
            try repositories.recordEvents([.pledge(.pledgeCollected, pledge)], at: now)
            return (pledge, now)
        }
    }

    /// A leader's hand-out list (`HandoutRepository.handoutEntries`).
    public func handoutList(leaderID: Int64, collected: Bool?, readyBefore: Timestamp?, limit: Int) -> UseCase<(Leader, [Handout.Entry])> {
        precondition(limit > 0, "at least one entry")
        return UseCase(self, .read) { repositories in
            let leader = try repositories.requireLeader(id: leaderID)
            return (leader, try repositories.handoutEntries(leader: leader, collected: collected, readyBefore: readyBefore, limit: limit))
        }
    }

    /// The code a consumer shows to collect a standing pledge.
    public func pickupCode(pledgeID: Int64) -> UseCase<(Pledge, String)> {
        UseCase(self, .read) { repositories in
            let pledge = try repositories.requirePledge(id: pledgeID)
            guard pledge.status == .confirmed || pledge.status == .paid else {
                throw DomainError(.invalidTransition, "pledge \(pledge.id) is \(pledge.status.rawValue): it has nothing to collect")
            }
            return (pledge, PickupCode.code(pledgeID: pledge.id, secret: try Self.pickupSecret(in: repositories)))
        }
    }

    /// The HMAC key pickup codes are derived with: the stored secret's 64 hex digits as they
    /// are (256 bits either way; no decoding to get wrong).
    static func pickupSecret(in repositories: any Repositories) throws -> [UInt8] {
        guard let hex = try repositories.setting(SettingName.pickupCodeSecret), hex.utf8.count == 64 else {
            throw DomainError(.conflict, "the pickup code secret is missing: run tuan migrate")
        }
        guard hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
            throw DomainError(.conflict, "the pickup code secret is not hex")
        }
        return Array(hex.utf8)
    }
}
