import Testing
@testable import TuanDomain

@Suite struct SettlementTests {
    let t0 = Fixtures.t0

    func pledged(_ c: inout Campaign, _ requests: [PledgeRequest]) throws -> [Pledge] {
        var pledges: [Pledge] = []
        for (i, r) in requests.enumerated() {
            c = try c.accepting(quantity: r.quantity, at: t0)
            pledges.append(Pledge(id: Int64(i + 1), campaignID: c.id, request: r, deposit: try c.deposit(for: r.quantity), at: t0))
        }
        return pledges
    }

    @Test func successConfirmsAtTheFinalTierAndRoundsTheOrder() throws {
        var c = Fixtures.campaign(threshold: 10)
        let pledges = try pledged(&c, [Fixtures.request("a", 7, pickup: "North"), Fixtures.request("b", 5, pickup: "South"),
                                       Fixtures.request("c", 1, pickup: "North")])
        let s = try CampaignSettlement.settle(c, pledges: pledges, product: Fixtures.product(casePack: 6, moq: 0),
                                              reason: .closed, at: c.closesAt)
        #expect(s.campaign.status == .succeeded)
        #expect(s.campaign.finalUnitPrice?.minor == 900)
        #expect(s.pledges.allSatisfy { $0.status == .confirmed })
        let d = try #require(s.demand)
        #expect(d.confirmedQuantity == 13 && d.orderQuantity == 18 && d.roundingSurplus == 5)
        #expect(d.cost.minor == 18 * 500)
        #expect(d.destinations.map(\.quantity) == [8, 5])
        #expect(s.journal.count == 1 && s.journal[0].kind == .supplierPayable)
    }

    @Test func failureRefundsEveryDeposit() throws {
        var c = Fixtures.campaign(threshold: 10)
        let pledges = try pledged(&c, [Fixtures.request("a", 3), Fixtures.request("b", 4)])
        let s = try CampaignSettlement.settle(c, pledges: pledges, product: Fixtures.product(), reason: .closed, at: c.closesAt)
        #expect(s.campaign.status == .failed)
        #expect(s.pledges.allSatisfy { $0.status == .refunded })
        #expect(s.journal.map(\.kind) == [.depositRefunded, .depositRefunded])
        #expect(s.demand == nil)
        var ledger = LedgerBalances(entries: try pledges.map(JournalEntry.depositReceived))
        for e in s.journal { ledger.post(e) }
        #expect(ledger.escrowHeld(currency: "CNY") == 0 && ledger.isBalanced)
    }

    @Test func orderRoundingHonoursMOQAndCasePack() throws {
        let p = Fixtures.product(casePack: 12, moq: 100)
        #expect(try p.orderQuantity(forDemand: 0) == 0)
        #expect(try p.orderQuantity(forDemand: 1) == 108)
        #expect(try p.orderQuantity(forDemand: 108) == 108)
        #expect(try p.orderQuantity(forDemand: 109) == 120)
        // A line never orders more than one line may hold: its cost stays in Int64.
        #expect(try p.orderQuantity(forDemand: Bounds.campaignUnits) >= Bounds.campaignUnits)
        #expect(throws: DomainError.self) { try p.orderQuantity(forDemand: Bounds.campaignUnits + 1) }
    }

    /// Property: aggregation conserves quantities, and rounding only ever adds.
    @Test func aggregationConservesQuantities() throws {
        var rng = SeededGenerator(seed: 5)
        let points = ["North", "South", "East", nil]
        let leaders = ["wang", "li", nil]
        for _ in 0..<200 {
            var c = Fixtures.campaign(threshold: 1, cap: nil)
            c.maxPerPledge = 100
            let requests = (0..<Int.random(in: 1...60, using: &rng)).map { i in
                Fixtures.request("c\(i)", Int64.random(in: 1...20, using: &rng),
                                 pickup: points.randomElement(using: &rng)!, leader: leaders.randomElement(using: &rng)!)
            }
            let pledges = try pledged(&c, requests)
            let product = Fixtures.product(casePack: Int64.random(in: 1...24, using: &rng), moq: Int64.random(in: 0...300, using: &rng))
            let s = try CampaignSettlement.settle(c, pledges: pledges, product: product, reason: .closed, at: c.closesAt)
            let d = try #require(s.demand)
            let total = requests.reduce(0) { $0 + $1.quantity }
            #expect(d.confirmedQuantity == total)
            #expect(d.destinations.reduce(0) { $0 + $1.quantity } == total)
            #expect(d.destinations.reduce(0) { $0 + $1.pledgeCount } == Int64(requests.count))
            #expect(d.orderQuantity >= total && d.orderQuantity >= product.minimumOrderQuantity)
            #expect(d.orderQuantity % product.casePack == 0 && d.roundingSurplus < product.casePack + product.minimumOrderQuantity)
        }
    }
}
