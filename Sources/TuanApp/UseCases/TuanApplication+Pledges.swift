import TuanDomain

extension TuanApplication {
    /// Places a pledge, idempotently per (`scope`, key): a retry with the same content answers
    /// the first pledge; different content under the same key is an `idempotency_conflict`.
    public func placePledge(campaignID: Int64, request: PledgeRequest, scope: String, at now: Timestamp) -> UseCase<PledgeOutcome> {
        UseCase(self, .write) { repositories in
            try self.placePledge(campaignID: campaignID, request: request, scope: scope, at: now, in: repositories)
        }
    }

    /// Load → decide → apply, with the prior pledge under the key loaded only when needed
    /// (`PledgePlacement`): after a refusal, or when the key's unique index refuses the insert,
    /// the same request is decided again with it. Neither case has written anything.
    func placePledge(campaignID: Int64, request: PledgeRequest, scope: String, at now: Timestamp,
                            in repositories: any Repositories) throws -> PledgeOutcome {
        let loadPrior = { () throws -> PledgePlacement.Prior in
            guard let (pledge, fingerprint) = try repositories.pledge(idempotencyScope: scope, key: request.idempotencyKey) else { return .none }
            return .placed(pledge, fingerprint: fingerprint)
        }
        var prior: PledgePlacement.Prior = PledgePlacement.needsPriorUpFront(request) ? try loadPrior() : .unchecked
        while true {
            let decision: PledgePlacement.Decision
            do {
                let snapshot = try Self.pledgeSnapshot(campaignID: campaignID, request: request, prior: prior, in: repositories)
                decision = try PledgePlacement.decide(request, scope: scope, snapshot, at: now)
            } catch let refusal as DomainError {
                guard case .unchecked = prior else { throw refusal }
                prior = try loadPrior()
                if case .none = prior { throw refusal }
                continue
            }
            switch decision {
            case .replay(let pledge):
                return PledgeOutcome(pledge: pledge, campaign: try repositories.requireCampaign(id: pledge.campaignID),
                                     team: try pledge.teamID.flatMap { try repositories.team(id: $0) }, replayed: true)
            case .place(let changeset, let campaign):
                let applied: AppliedChangeset
                do {
                    applied = try self.apply(changeset, to: repositories, at: now)
                } catch RepositoryConflict.idempotencyKeyTaken {
                    guard case .unchecked = prior else { throw RepositoryConflict.idempotencyKeyTaken }
                    prior = try loadPrior()
                    continue
                }
                var pledge = changeset.newPledge!.pledge, team = changeset.pledgeTeam
                if let teamID = applied.teamID { team?.id = teamID }
                pledge.id = applied.pledgeID!
                pledge.teamID = team?.id
                return PledgeOutcome(pledge: pledge, campaign: campaign, team: team, replayed: false)
            }
        }
    }

    /// What the decision reads: the campaign, the leader named, and for a team pledge the team
    /// joined (and whether the consumer stands in it) or a code no team has.
    static func pledgeSnapshot(campaignID: Int64, request: PledgeRequest, prior: PledgePlacement.Prior,
                                       in repositories: any Repositories) throws -> PledgePlacement.Snapshot {
        var snapshot = PledgePlacement.Snapshot(campaign: try repositories.requireCampaign(id: campaignID), prior: prior,
                                                leader: try request.leaderCode.flatMap { try repositories.leader(code: $0) })
        if snapshot.campaign.maxPerConsumer != nil {
            snapshot.consumerUnits = try repositories.consumerUnits(campaignID: campaignID, consumerID: request.consumerID)
        }
        switch request.team {
        case nil:
            break
        case .open:
            var generator = SystemRandomNumberGenerator()
            var code = Team.newCode(using: &generator)
            while try repositories.team(code: code) != nil { code = Team.newCode(using: &generator) }
            snapshot.freshTeamCode = code
        case .join(let code):
            snapshot.team = try repositories.team(code: code)
            if let team = snapshot.team {
                snapshot.consumerInTeam = try repositories.isMember(consumerID: request.consumerID, teamID: team.id)
            }
        }
        return snapshot
    }

    /// The consumer withdraws before the cancellation deadline; the deposit is refunded.
    public func cancelPledge(id: Int64, at now: Timestamp) -> UseCase<(Pledge, Campaign)> {
        UseCase(self, .write) { try self.cancelPledge(id: id, at: now, in: $0) }
    }

    func cancelPledge(id: Int64, at now: Timestamp, in repositories: any Repositories) throws -> (Pledge, Campaign) {
        let pledge = try repositories.requirePledge(id: id)
        let campaign = try repositories.requireCampaign(id: pledge.campaignID)
        let team = try pledge.teamID.flatMap { try repositories.team(id: $0) }
        let (changeset, cancelled, updated) = try Changeset.cancelling(pledge, in: campaign, team: team, at: now)
        _ = try self.apply(changeset, to: repositories, at: now)
        return (cancelled, updated)
    }

    /// A balance payment the storefront reports: exactly what the pledge owes, with the payment
    /// provider's reference, once per (`scope`, key); a retry with the same key and request
    /// answers the payment already recorded.
    public func receivePayment(pledgeID: Int64, amountMinor: Int64, reference: String, scope: String, idempotencyKey: String,
                               at now: Timestamp) -> UseCase<PaymentOutcome> {
        UseCase(self, .write) { repositories in
            try self.receivePayment(pledgeID: pledgeID, amountMinor: amountMinor, reference: reference, scope: scope,
                                    idempotencyKey: idempotencyKey, at: now, in: repositories)
        }
    }

    func receivePayment(pledgeID: Int64, amountMinor: Int64, reference: String, scope: String, idempotencyKey: String,
                        at now: Timestamp, in repositories: any Repositories) throws -> PaymentOutcome {
        let pledge = try repositories.requirePledge(id: pledgeID)
        return try receivePayment(for: pledge, in: try repositories.requireCampaign(id: pledge.campaignID), amountMinor: amountMinor,
                                  reference: reference, scope: scope, idempotencyKey: idempotencyKey, at: now, in: repositories)
    }

    private func receivePayment(for pledge: Pledge, in campaign: Campaign, amountMinor: Int64, reference: String, scope: String,
                                idempotencyKey: String, at now: Timestamp, in repositories: any Repositories) throws -> PaymentOutcome {
        let pledgeID = pledge.id
        let payment = try BalancePayment(pledgeID: pledgeID, amount: Money(minor: amountMinor, currency: campaign.currency),
                                         reference: reference, idempotencyScope: scope, idempotencyKey: idempotencyKey, receivedAt: now)
        if let prior = try repositories.balancePayment(idempotencyScope: scope, key: idempotencyKey) {
            guard prior.fingerprint == payment.fingerprint else {
                throw DomainError(.idempotencyConflict, field: "idempotency_key", "this idempotency key was already used with a different payment")
            }
            // The fingerprint names the pledge, so the prior payment is this pledge's.
            return PaymentOutcome(payment: prior.payment, pledge: pledge, replayed: true)
        }
        let (changeset, paid) = try Changeset.receiving(payment, for: pledge, in: campaign, at: now)
        _ = try self.apply(changeset, to: repositories, at: now)
        return PaymentOutcome(payment: try repositories.balancePayment(pledgeID: pledgeID) ?? payment, pledge: paid, replayed: false)
    }

    /// The consumer paid the rest of the price of a confirmed pledge, recorded by an operator (the
    /// command line, the simulator) rather than reported by a storefront: exactly what is owed,
    /// under the pledge's own key, so that it too leaves a payment record.
    public func payBalance(pledgeID: Int64, reference: String = "recorded by an operator", at now: Timestamp) -> UseCase<Pledge> {
        UseCase(self, .write) { try self.payBalance(pledgeID: pledgeID, reference: reference, at: now, in: $0) }
    }

    func payBalance(pledgeID: Int64, reference: String = "recorded by an operator", at now: Timestamp,
                    in repositories: any Repositories) throws -> Pledge {
        let pledge = try repositories.requirePledge(id: pledgeID)
        // Without a key of its own, a second call is a mistake to report, not a retry to replay.
        guard pledge.status != .paid else { throw DomainError(.alreadyPaid, "pledge \(pledgeID) is already paid") }
        let campaign = try repositories.requireCampaign(id: pledge.campaignID)
        return try receivePayment(for: pledge, in: campaign, amountMinor: try campaign.balanceOwed(by: pledge).minor, reference: reference,
                                  scope: "operator", idempotencyKey: "balance-\(pledgeID)", at: now, in: repositories).pledge
    }

    /// Defaults a confirmed pledge whose balance was not paid by its deadline.
    public func defaultPledge(id: Int64, at now: Timestamp) -> UseCase<Pledge> {
        UseCase(self, .write) { repositories in try self.defaultPledge(id: id, at: now, in: repositories) }
    }

    func defaultPledge(id: Int64, at now: Timestamp, in repositories: any Repositories) throws -> Pledge {
        let pledge = try repositories.requirePledge(id: id)
        let (changeset, defaulted) = try Changeset.defaulting(pledge, in: try repositories.requireCampaign(id: pledge.campaignID), at: now)
        _ = try self.apply(changeset, to: repositories, at: now)
        return defaulted
    }

    public func pledge(id: Int64) -> UseCase<Pledge> {
        UseCase(self, .read) { try $0.requirePledge(id: id) }
    }

    /// A campaign's pledges (the campaign must exist), optionally of one status.
    public func pledges(campaignID: Int64, status: PledgeStatus? = nil) -> UseCase<[Pledge]> {
        UseCase(self, .read) { repositories in
            _ = try repositories.requireCampaign(id: campaignID)
            return try repositories.pledges(campaignID: campaignID, status: status)
        }
    }
}

extension TuanApplication {
    /// A consumer's pledges across campaigns, newest first, with what they paid, owe and got back.
    public func consumerPledges(consumerID: String, limit: Int) -> UseCase<[ConsumerPledge]> {
        precondition(limit > 0, "at least one pledge")
        return UseCase(self, .read) { repositories in
            try repositories.pledges(consumerID: consumerID, limit: limit).map { pledge in
                var view = try ConsumerPledge(pledge: pledge, campaign: try repositories.requireCampaign(id: pledge.campaignID),
                                              payment: pledge.status == .paid || pledge.status == .refunded ? try repositories.balancePayment(pledgeID: pledge.id) : nil)
                // Lines refunded from a pledge that stands: what went back is what its refunds say.
                let linesRefunded = (pledge.status == .confirmed || pledge.status == .paid) && pledge.lines.contains { $0.status == .refunded }
                if !view.refunded.isZero || linesRefunded {
                    view.refunds = try repositories.refunds(status: nil, consumerID: nil, pledgeID: pledge.id, limit: 10)
                }
                if linesRefunded {
                    view.refunded = try view.refunds.reduce(Money.zero(pledge.deposit.currency)) { (sum, refund) throws(DomainError) in try sum.adding(refund.amount) }
                }
                return view
            }
        }
    }
}
