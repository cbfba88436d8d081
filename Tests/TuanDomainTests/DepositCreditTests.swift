import Testing
@testable import TuanDomain

/// Deposit credit (定金膨胀): what a paid deposit counts against the price. Properties over
/// random prices, deposits, credits, quantities and outcomes: every entry balances, the consumer
/// pays exactly the total less the credit, the discount is the credit beyond the deposit, a
/// refund returns exactly what was paid, and a default forfeits only the deposit.
@Suite struct DepositCreditTests {
    static let t0 = Timestamp(seconds: 1_800_000_000)

    func draw(_ range: ClosedRange<Int64>, _ g: inout SeededGenerator) -> Int64 { Int64.random(in: range, using: &g) }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func theLedgerBalancesForAnyPriceCreditAndOutcome(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        var balances: [Account: Int64] = [:]
        func post(_ entry: JournalEntry) { for p in entry.postings { balances[p.account, default: 0] += p.amountMinor } }
        var cashIn: Int64 = 0, cashOut: Int64 = 0
        /// A refund the entry makes due, paid out by the storefront half the time.
        func payOut(_ entry: JournalEntry) throws {
            guard let due = entry.refundDue, Bool.random(using: &g) else { return }
            let refund = Refund(restoringID: 1, pledgeID: entry.pledgeID!, campaignID: 1, consumerID: "c", amount: due, journalID: 1,
                                reason: entry.kind, status: .due, reference: nil, createdAt: Self.t0, completedAt: nil)
            let (_, paidOut) = try refund.completing(reference: "r", at: Self.t0)
            post(try #require(paidOut))
            cashOut += due.minor
        }
        for n in 0..<400 {
            let low = draw(1...Bounds.unitAmountMinor / 2, &g), high = draw(low...Bounds.unitAmountMinor, &g)
            let deposit = draw(0...low, &g)
            let credit = deposit == 0 ? 0 : draw(deposit...low, &g)
            let tiers = [PriceTier(minQuantity: 1, unitPrice: Money(minor: high, currency: .cny)),
                         PriceTier(minQuantity: 10, unitPrice: Money(minor: low, currency: .cny))]
            let draft = try CampaignDraft(sku: "s", title: "T", opensAt: Self.t0, closesAt: Self.t0.adding(days: 1), threshold: 1, cap: nil,
                                          tiers: tiers, depositPerUnit: Money(minor: deposit, currency: .cny),
                                          depositCreditPerUnit: Money(minor: credit, currency: .cny))
            var campaign = Campaign(id: 1, draft: draft, status: .open)
            let quantity = draw(1...1_000, &g)
            let request = try PledgeRequest(consumerID: "c\(n)", quantity: quantity, idempotencyKey: "k\(n)")
            let pledge = try Pledge(id: Int64(n), campaignID: 1, request: request, deposit: campaign.deposit(for: quantity), teamID: nil,
                                    at: Self.t0).transitioned(to: .confirmed, at: Self.t0)
            if !pledge.deposit.isZero { post(try .depositReceived(pledge)); cashIn += pledge.deposit.minor }
            campaign.status = .succeeded
            campaign.finalUnitPrice = tiers[Bool.random(using: &g) ? 0 : 1].unitPrice
            let total = try campaign.total(for: pledge), owed = try campaign.balanceOwed(by: pledge)
            let creditUsed = pledge.deposit.isZero ? 0 : credit * quantity
            #expect(owed.minor == total.minor - creditUsed && owed.minor >= 0)
            switch draw(0...2, &g) {
            case 0:  // paid, then refunded by a short supplier answer
                let (paid, entry) = try campaign.payingBalance(of: pledge, at: Self.t0)
                post(entry)
                cashIn += owed.minor
                #expect(entry.postings.first { $0.account == .cash }?.amountMinor ?? 0 == owed.minor)
                #expect((entry.postings.first { $0.account == .depositCredits }?.amountMinor ?? 0) == creditUsed - pledge.deposit.minor)
                if Bool.random(using: &g) {
                    let refund = try JournalEntry.saleRefunded(paid, total: total, credit: try campaign.depositCredit(for: paid))
                    post(refund)
                    #expect(refund.refundDue?.minor == pledge.deposit.minor + owed.minor)
                    try payOut(refund)
                }
            case 1:  // defaults: only the deposit is at stake
                let (_, entries) = try campaign.defaulting(pledge, at: campaign.balanceDueAt)
                for entry in entries { post(entry); try payOut(entry) }
                #expect(entries.allSatisfy { $0.postings.allSatisfy { abs($0.amountMinor) <= pledge.deposit.minor } })
            default:
                break
            }
        }
        #expect(balances.values.reduce(0, +) == 0)
        #expect(balances[.cash, default: 0] == cashIn - cashOut)
        #expect(balances[.depositCredits, default: 0] >= 0 && balances[.refundsPayable, default: 0] <= 0)
    }

    @Test func aCreditIsAtLeastTheDepositNeedsOneAndFitsTheLowestPrice() throws {
        func draft(deposit: Int64, credit: Int64, team: Int64? = nil) throws -> CampaignDraft {
            try CampaignDraft(sku: "s", title: "T", opensAt: Self.t0, closesAt: Self.t0.adding(days: 1), threshold: 1, cap: nil,
                              tiers: [PriceTier(minQuantity: 1, unitPrice: Money(minor: 1000, currency: .cny)),
                                      PriceTier(minQuantity: 10, unitPrice: Money(minor: 800, currency: .cny))],
                              depositPerUnit: Money(minor: deposit, currency: .cny),
                              team: try team.map { try TeamRule(size: 2, windowSeconds: 3600, unitPrice: Money(minor: $0, currency: .cny)) },
                              depositCreditPerUnit: Money(minor: credit, currency: .cny))
        }
        #expect(try draft(deposit: 50, credit: 100).depositCreditPerUnit.minor == 100)
        #expect(try draft(deposit: 50, credit: 800).depositCreditPerUnit.minor == 800)
        for (deposit, credit, team) in [(50, 49, nil), (0, 10, nil), (50, 801, nil), (50, 700, Int64?(600))] as [(Int64, Int64, Int64?)] {
            #expect(throws: DomainError.self, "deposit \(deposit), credit \(credit)") { try draft(deposit: deposit, credit: credit, team: team) }
        }
    }
}
