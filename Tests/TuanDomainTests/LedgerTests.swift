import Testing
@testable import TuanDomain

@Suite struct LedgerTests {
    @Test func unbalancedEntriesCannotBeBuilt() {
        #expect { try JournalEntry(kind: .depositReceived, currency: .cny, postings: [(.cash, 10), (.escrow, -9)]) }
            throws: { ($0 as? DomainError)?.code == .unbalanced }
    }

    /// Property: after any sequence of pledges, cancellations, closes, payments and defaults,
    /// every currency balances and escrow equals the deposits pledges still hold.
    @Test func randomOperationSequencesKeepTheLedgerBalanced() throws {
        var rng = SeededGenerator(seed: 2024)
        for round in 0..<100 {
            var c = Fixtures.campaign(threshold: Int64.random(in: 1...40, using: &rng), cap: 60,
                                      deposit: Int64.random(in: 0...800, using: &rng))
            var pledges: [Pledge] = []
            var ledger = LedgerBalances()
            var now = Fixtures.t0
            for step in 0..<40 {
                now = now.adding(seconds: 60)
                if Bool.random(using: &rng) || pledges.isEmpty {
                    let q = Int64.random(in: 1...8, using: &rng)
                    guard let next = try? c.accepting(quantity: q, at: now) else { continue }
                    let p = Pledge(id: Int64(step), campaignID: 1, request: Fixtures.request("u\(step)", q),
                                   deposit: try c.deposit(for: q), at: now)
                    c = next
                    pledges.append(p)
                    if !p.deposit.isZero { ledger.post(try .depositReceived(p)) }
                } else {
                    let i = Int.random(in: 0..<pledges.count, using: &rng)
                    guard let next = try? c.withdrawing(pledges[i], at: now) else { continue }
                    c = next
                    if !pledges[i].deposit.isZero { ledger.post(try .depositRefunded(pledges[i])) }
                    pledges[i] = try pledges[i].transitioned(to: .cancelled, at: now)
                }
            }
            let s = try CampaignSettlement.settle(c, pledges: pledges, product: Fixtures.product(), reason: .closed, at: c.closesAt)
            for e in s.journal { ledger.post(e) }
            var final = pledges.map { p in s.pledges.first { $0.id == p.id } ?? p }
            if s.campaign.status == .succeeded {
                for i in final.indices where final[i].status == .confirmed {
                    if Bool.random(using: &rng) {
                        let (paid, e) = try s.campaign.payingBalance(of: final[i], at: s.campaign.balanceDueAt)
                        final[i] = paid; ledger.post(e)
                    } else {
                        let (d, e) = try s.campaign.defaulting(final[i], at: s.campaign.balanceDueAt)
                        final[i] = d; e.forEach { ledger.post($0) }
                    }
                }
            }
            let held = final.filter(\.status.holdsDeposit).reduce(0) { $0 + $1.deposit.minor }
            #expect(ledger.isBalanced, "round \(round)")
            #expect(ledger.escrowHeld(currency: "CNY") == held, "round \(round)")
            #expect(final.allSatisfy { $0.status != .pledged })
        }
    }
}
