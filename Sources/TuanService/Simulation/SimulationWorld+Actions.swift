import TuanDomain
import TuanApp

extension SimulationWorld {
    /// Performs `action`, checks its reply against the model, and moves the model on.
    mutating func perform(_ action: Action, auditor: inout SimulationAuditor) throws {
        let now = model.now
        switch action {
        case .pledge:
            let (campaign, request) = try randomRequest()
            try pledge(campaign, request, auditor: &auditor)
        case .replay:
            guard let earlier = model.accepted.randomElement(using: &generator) else { return }
            let outcome = try? app.placePledge(campaignID: earlier.campaignID, request: earlier.request, scope: "sim", at: now).runBlocking()
            auditor.expect(outcome?.replayed == true && outcome?.pledge.id == earlier.pledgeID,
                           "a replay of pledge \(earlier.pledgeID)'s request must return it, got \(String(describing: outcome?.pledge.id))")
        case .conflictingReplay:
            guard let earlier = model.accepted.randomElement(using: &generator) else { return }
            var changed = earlier.request
            changed.quantity += 1
            let request = changed
            auditor.expectRefusal(.idempotencyConflict, "the same key with another body") {
                _ = try app.placePledge(campaignID: earlier.campaignID, request: request, scope: "sim", at: now).runBlocking()
            }
        case .cancel:
            try cancelOne(auditor: &auditor)
        case .close:
            try closeOne(auditor: &auditor)
        case .pay, .defaultPledge:
            try settleOne(paying: action == .pay, auditor: &auditor)
        case .answer:
            try answerOne(auditor: &auditor)
        case .failedJob:
            let (campaign, request) = try randomRequest()
            let before = model
            auditor.expectThrows(InjectedFailure.self, "an injected failure after a pledge was written") {
                _ = try app.inOneTransaction { transaction -> Int64 in
                    _ = try? transaction.placePledge(campaignID: campaign.id, request: request, scope: "sim", at: now)
                    throw InjectedFailure()
                }.runBlocking()
            }
            model = before
        case .advanceClock:
            model.now = now.adding(seconds: Int64.random(in: 600...(36 * 3_600), using: &generator))
        }
    }

    private mutating func pledge(_ campaign: SimulationModel.CampaignModel, _ request: PledgeRequest, auditor: inout SimulationAuditor) throws {
        let now = model.now
        let expected = model.expectedRefusal(campaign: campaign, quantity: request.quantity)
        do {
            let outcome = try app.placePledge(campaignID: campaign.id, request: request, scope: "sim", at: now).runBlocking()
            auditor.expect(expected == nil, "pledge of \(request.quantity) into campaign \(campaign.id) accepted; expected \(expected?.rawValue ?? "")")
            auditor.expect(!outcome.replayed && outcome.pledge.deposit.minor == request.quantity * campaign.depositPerUnit,
                           "pledge \(outcome.pledge.id): deposit \(outcome.pledge.deposit.minor), expected \(request.quantity * campaign.depositPerUnit)")
            model.pledges[outcome.pledge.id] = .init(id: outcome.pledge.id, campaignID: campaign.id, quantity: request.quantity,
                                                     leaderCode: request.leaderCode, status: .pledged)
            model.accepted.append(.init(campaignID: campaign.id, request: request, pledgeID: outcome.pledge.id))
            model.campaigns[campaign.id]!.pledged += request.quantity
            model.campaigns[campaign.id]!.count += 1
        } catch let error as DomainError {
            auditor.expect(error.code == expected, "pledge of \(request.quantity) into campaign \(campaign.id) refused \(error.code); expected \(expected?.rawValue ?? "acceptance")")
        }
    }

    private mutating func cancelOne(auditor: inout SimulationAuditor) throws {
        guard let pledge = model.pledges.values.filter({ $0.status == .pledged }).sorted(by: { $0.id < $1.id }).randomElement(using: &generator) else { return }
        let now = model.now, campaign = model.campaigns[pledge.campaignID]!
        let allowed = !campaign.closed && now < campaign.cancellationDeadline
        do {
            _ = try app.cancelPledge(id: pledge.id, at: now).runBlocking()
            auditor.expect(allowed, "pledge \(pledge.id) cancelled at \(now), after its deadline \(campaign.cancellationDeadline)")
            model.pledges[pledge.id]!.status = .cancelled
            model.campaigns[pledge.campaignID]!.pledged -= pledge.quantity
            model.campaigns[pledge.campaignID]!.count -= 1
        } catch let error as DomainError {
            auditor.expect(!allowed && error.code == .cancellationClosed, "cancelling pledge \(pledge.id) refused \(error.code)")
        }
    }

    /// Closes a campaign that is due, or one time in four one early (an admin's close).
    private mutating func closeOne(auditor: inout SimulationAuditor) throws {
        let now = model.now
        let open = model.campaigns.values.filter { !$0.closed }.sorted { $0.id < $1.id }
        let early = Int.random(in: 0..<4, using: &generator) == 0 ? open.randomElement(using: &generator) : nil
        guard let campaign = open.first(where: { now >= $0.closesAt }) ?? early else { return }
        let settlement = try app.closeCampaign(id: campaign.id, reason: .closed, at: now).runBlocking()
        let succeeds = campaign.pledged >= campaign.threshold
        auditor.expect(settlement.campaign.status == (succeeds ? .succeeded : .failed),
                       "campaign \(campaign.id) with \(campaign.pledged) of \(campaign.threshold) closed \(settlement.campaign.status)")
        model.campaigns[campaign.id]!.closed = true
        model.campaigns[campaign.id]!.succeeded = succeeds
        model.campaigns[campaign.id]!.confirmedAtClose = succeeds ? campaign.pledged : 0
        for pledge in model.pledges(in: campaign.id, status: .pledged) {
            model.pledges[pledge.id]!.status = succeeds ? .confirmed : .refunded
        }
    }

    /// Pays or defaults a confirmed pledge; a default before the balance is due is refused.
    private mutating func settleOne(paying: Bool, auditor: inout SimulationAuditor) throws {
        guard let pledge = model.pledges.values.filter({ $0.status == .confirmed }).sorted(by: { $0.id < $1.id }).randomElement(using: &generator)
        else { return }
        let now = model.now, due = model.campaigns[pledge.campaignID]!.balanceDueAt
        if paying {
            _ = try app.payBalance(pledgeID: pledge.id, at: now).runBlocking()
            model.pledges[pledge.id]!.status = .paid
            return
        }
        do {
            _ = try app.defaultPledge(id: pledge.id, at: now).runBlocking()
            auditor.expect(now >= due, "pledge \(pledge.id) defaulted at \(now), before its balance was due at \(due)")
            model.pledges[pledge.id]!.status = .defaulted
        } catch let error as DomainError {
            auditor.expect(now < due && error.code == .invalidTransition, "defaulting pledge \(pledge.id) refused \(error.code)")
        }
    }

    /// Answers an open order: in full, in part or not at all. Which pledges a short answer
    /// refunds is the allocation's to decide; the model takes the statuses it chose, and the
    /// invariants check that they add up.
    private mutating func answerOne(auditor: inout SimulationAuditor) throws {
        let now = model.now
        guard let order = try app.purchaseOrders(PurchaseOrderFilter(status: .open)).runBlocking().0.randomElement(using: &generator)
        else { return }
        let answer: PurchaseOrderAcknowledgement
        switch Int.random(in: 0..<3, using: &generator) {
        case 0: answer = PurchaseOrderAcknowledgement(decision: .accepted, promisedShipAt: now.adding(days: 7))
        case 1: answer = PurchaseOrderAcknowledgement(decision: .rejected, reason: "cannot make it")
        default:
            var quantities: [String: Int64] = [:]
            for line in order.lines { quantities[line.sku] = Int64.random(in: 0..<max(1, line.orderQuantity), using: &generator) }
            answer = PurchaseOrderAcknowledgement(decision: .partiallyAccepted, acceptedQuantities: quantities,
                                                  promisedShipAt: now.adding(days: 7), reason: "short")
        }
        let (outcome, _) = try app.acknowledgePurchaseOrder(id: order.id, answer, by: nil, at: now).runBlocking()
        for pledge in outcome.refundedPledges {
            auditor.expect(model.pledges[pledge.id].map { $0.status == .confirmed || $0.status == .paid } == true,
                           "answer to \(order.number) refunded pledge \(pledge.id), which was not confirmed or paid")
            model.pledges[pledge.id]?.status = .refunded
        }
    }
}
