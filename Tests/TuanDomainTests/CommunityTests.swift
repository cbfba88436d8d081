import Testing
@testable import TuanDomain

/// Leaders and commissions, team buys.
@Suite struct CommunityTests {
    let t0 = Fixtures.t0
    let leaders = [try! Leader(id: 1, code: "ann", name: "Ann", pickupPoint: "Block 3 lobby", commissionBasisPoints: 500),
                   try! Leader(id: 2, code: "bo", name: "Bo", pickupPoint: "Bo's shop", commissionBasisPoints: 333)]

    @Test func commissionRoundsDownAndRefusesBadRates() throws {
        let leader = leaders[1]
        #expect(try leader.commission(on: Fixtures.money(1000)).minor == 33)  // 33.3 → 33
        #expect(try leader.commission(on: Fixtures.money(0)).minor == 0)
        #expect(throws: DomainError.self) { try leader.commission(on: Fixtures.money(.max)) }
        #expect(throws: DomainError.self) { try Leader(id: 0, code: "x", name: "X", pickupPoint: "P", commissionBasisPoints: 5_001) }
        #expect(throws: DomainError.self) { try Leader(id: 0, code: "has space", name: "X", pickupPoint: "P", commissionBasisPoints: 1) }
        #expect(throws: DomainError.self) { try Leader(id: 0, code: "x", name: "X", pickupPoint: "P", commissionBasisPoints: 1, memberLimit: 0) }
    }

    /// Random campaigns with pledges from two leaders and direct ones, settled, then paid or
    /// defaulted or partly refused by the supplier: the ledger always balances, commission per
    /// leader equals the sum over its confirmed pledges, and what is reversed is what was posted
    /// for pledges that did not go through.
    @Test func commissionsKeepTheLedgerBalanced() throws {
        var rng = SeededGenerator(seed: 42)
        for round in 0..<150 {
            var campaign = Fixtures.campaign(threshold: 5, cap: 60, deposit: Int64.random(in: 0...200, using: &rng))
            var pledges: [Pledge] = []
            var ledger = LedgerBalances()
            for i in 0..<Int.random(in: 1...25, using: &rng) {
                let quantity = Int64.random(in: 1...4, using: &rng)
                guard let next = try? campaign.accepting(quantity: quantity, at: t0) else { continue }
                campaign = next
                let leader = [nil, "ann", "bo"][Int.random(in: 0...2, using: &rng)]
                let pledge = Pledge(id: Int64(i + 1), campaignID: 1, request: Fixtures.request("c\(i)", quantity, leader: leader),
                                    deposit: try campaign.deposit(for: quantity), at: t0)
                if !pledge.deposit.isZero { ledger.post(try .depositReceived(pledge)) }
                pledges.append(pledge)
            }
            let s = try CampaignSettlement.settle(campaign, pledges: pledges, product: Fixtures.product(), reason: .closed,
                                                  at: campaign.closesAt, leaders: leaders)
            s.journal.forEach { ledger.post($0) }
            #expect(ledger.isBalanced, "round \(round)")
            guard s.campaign.status == .succeeded else {
                #expect(s.commissions.isEmpty)
                continue
            }
            for leader in leaders {
                let expected = try s.pledges.filter { $0.leaderCode == leader.code }
                    .reduce(Int64(0)) { $0 + (try leader.commission(on: s.campaign.total(for: $1))).minor }
                #expect((s.commissions[leader.code]?.minor ?? 0) == expected, "round \(round)")
            }
            let posted = ledger.balance(.commissions, currency: "CNY")
            var reversed: Int64 = 0
            for pledge in s.pledges {
                if Bool.random(using: &rng) {
                    ledger.post(try s.campaign.payingBalance(of: pledge, at: s.campaign.balanceDueAt).1)
                } else {
                    let (_, entries) = try s.campaign.defaulting(pledge, at: s.campaign.balanceDueAt)
                    entries.forEach { ledger.post($0) }
                    reversed += pledge.commission?.minor ?? 0
                }
            }
            #expect(ledger.isBalanced, "round \(round)")
            #expect(ledger.balance(.commissions, currency: "CNY") == posted - reversed, "round \(round)")
            #expect(ledger.balance(.commissions, currency: "CNY") == -ledger.balance(.leaderPayables, currency: "CNY"))
        }
    }

    // MARK: team buys

    func teamCampaign() throws -> Campaign {
        let draft = try CampaignDraft(
            sku: "tea-1", title: "Team tea", opensAt: t0, closesAt: t0.adding(days: 7), threshold: 2, cap: 100,
            tiers: [PriceTier(minQuantity: 1, unitPrice: Fixtures.money(1000))], depositPerUnit: Fixtures.money(100),
            team: try TeamRule(size: 2, windowSeconds: 86_400, unitPrice: Fixtures.money(700)))
        return Campaign(id: 1, draft: draft, status: .open)
    }

    @Test func teamRuleIsValidated() throws {
        #expect(throws: DomainError.self) { try TeamRule(size: 1, windowSeconds: 3_600, unitPrice: Fixtures.money(1)) }
        #expect(throws: DomainError.self) { try TeamRule(size: 2, windowSeconds: 10, unitPrice: Fixtures.money(1)) }
        // A team price above the solo price is refused.
        #expect(throws: DomainError.self) {
            try CampaignDraft(sku: "tea-1", title: "T", opensAt: t0, closesAt: t0.adding(days: 1), threshold: 1, cap: nil,
                              tiers: [PriceTier(minQuantity: 1, unitPrice: Fixtures.money(1000))], depositPerUnit: Fixtures.money(0),
                              team: try TeamRule(size: 2, windowSeconds: 3_600, unitPrice: Fixtures.money(1001)))
        }
    }

    @Test func aTeamFillsWithinItsWindowAndIsThenClosedToNewMembers() throws {
        let campaign = try teamCampaign()
        let team = Team.opening(campaign: campaign, rule: campaign.team!, code: "TABCDEFG", at: t0)
        #expect(team.status == .forming && team.expiresAt == t0.adding(days: 1) && team.spotsLeft == 1)
        let full = try team.joining(at: t0.adding(seconds: 3_600))
        #expect(full.status == .filled && full.spotsLeft == 0)
        #expect(throws: DomainError.self) { try full.joining(at: t0.adding(seconds: 3_601)) }
        #expect(throws: DomainError.self) { try team.joining(at: t0.adding(days: 1)) }  // window over
        #expect(throws: DomainError.self) { try full.leaving() }  // members of a full team stay
        // The window never runs past the campaign's close.
        let late = Team.opening(campaign: campaign, rule: campaign.team!, code: "TLATE", at: campaign.closesAt.adding(seconds: -60))
        #expect(late.expiresAt == campaign.closesAt)
    }

    @Test func lapsedTeamsAreRefundedAndFilledTeamsPayTheTeamPrice() throws {
        var campaign = try teamCampaign()
        var ledger = LedgerBalances()
        var pledges: [Pledge] = []
        func pledge(_ consumer: String, team: Int64?) throws {
            campaign = try campaign.accepting(quantity: 1, at: t0)
            let p = Pledge(id: Int64(pledges.count + 1), campaignID: 1, request: Fixtures.request(consumer, 1),
                           deposit: try campaign.deposit(for: 1), teamID: team, at: t0)
            ledger.post(try .depositReceived(p))
            pledges.append(p)
        }
        try pledge("a", team: 10); try pledge("b", team: 10)   // team 10 fills
        try pledge("c", team: 11)                              // team 11 never does
        try pledge("d", team: 12)                              // team 12 still forming at the close
        try pledge("solo", team: nil)
        let filled = Team(id: 10, campaignID: 1, code: "T10", size: 2, memberCount: 2, status: .filled, expiresAt: t0.adding(days: 1), createdAt: t0)
        let lapsed = Team(id: 11, campaignID: 1, code: "T11", size: 2, memberCount: 1, status: .forming, expiresAt: t0.adding(days: 1), createdAt: t0)
        let lastMinute = Team(id: 12, campaignID: 1, code: "T12", size: 2, memberCount: 1, status: .forming,
                              expiresAt: campaign.closesAt, createdAt: t0)

        let expiry = try campaign.expiring(lapsed, pledges: pledges, at: t0.adding(days: 1))
        #expect(expiry.team.status == .expired)
        #expect(expiry.refundedPledges.map(\.consumerID) == ["c"])
        #expect(expiry.campaign.pledgedQuantity == 4)
        expiry.journal.forEach { ledger.post($0) }
        campaign = expiry.campaign
        for p in expiry.refundedPledges { pledges[pledges.firstIndex { $0.id == p.id }!] = p }

        let s = try CampaignSettlement.settle(campaign, pledges: pledges, product: Fixtures.product(casePack: 1), reason: .closed,
                                              at: campaign.closesAt, teams: [filled, expiry.team, lastMinute])
        s.journal.forEach { ledger.post($0) }
        #expect(s.campaign.status == .succeeded)
        #expect(s.campaign.pledgedQuantity == 3)  // a, b and solo: d's unfilled team does not count
        #expect(s.expiredTeams.map(\.id) == [12])
        #expect(s.pledges.first { $0.consumerID == "d" }?.status == .refunded)
        let confirmed = s.pledges.filter { $0.status == .confirmed }
        #expect(Set(confirmed.map(\.consumerID)) == ["a", "b", "solo"])
        #expect(try s.campaign.total(for: confirmed.first { $0.consumerID == "a" }!).minor == 700)
        #expect(try s.campaign.total(for: confirmed.first { $0.consumerID == "solo" }!).minor == 1000)
        #expect(s.purchaseOrder?.lines.first?.confirmedQuantity == 3)  // teams and solo pledges: one order
        #expect(ledger.isBalanced)
        #expect(ledger.escrowHeld(currency: "CNY") == 300)
    }
}
