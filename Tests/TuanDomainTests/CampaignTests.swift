import Testing
@testable import TuanDomain

@Suite struct CampaignTests {
    let t0 = Fixtures.t0

    /// Fingerprints are stored with every pledge and compared with retries, so their format
    /// must never change: each part as `length:text` (UTF-8 bytes), joined by `|`.
    @Test func pledgeFingerprintsKeepTheirStoredFormat() throws {
        let plain = try PledgeRequest(consumerID: "ann", quantity: 12, idempotencyKey: "k")
        #expect(plain.fingerprint == "3:ann|2:12|0:|0:|0:")
        let full = try PledgeRequest(consumerID: "李雷", quantity: 1, leaderCode: "L1", pickupPoint: "Gate 2",
                                     depositPaymentRef: "pay|1", team: .join(code: "ABC123"), idempotencyKey: "k")
        #expect(full.fingerprint == "6:李雷|1:1|2:L1|6:Gate 2|5:pay|1|11:team:ABC123")
        let opening = try PledgeRequest(consumerID: "bo", quantity: 3, team: .open, idempotencyKey: "k")
        #expect(opening.fingerprint == "2:bo|1:3|0:|0:|0:|9:team:open")
    }

    @Test func acceptsPledgesAndTipsAtThreshold() throws {
        var c = Fixtures.campaign(threshold: 10)
        c = try c.accepting(quantity: 6, at: t0)
        #expect(c.status == .open)
        c = try c.accepting(quantity: 4, at: t0)
        #expect(c.status == .tipped)
        #expect(c.pledgedQuantity == 10 && c.pledgeCount == 2)
        #expect(c.currentUnitPrice.minor == 900)
    }

    @Test func refusesOverTheCapWithSoldOut() throws {
        var c = Fixtures.campaign(cap: 12)
        c = try c.accepting(quantity: 10, at: t0)
        #expect { try c.accepting(quantity: 3, at: t0) } throws: { ($0 as? DomainError)?.code == .soldOut }
        c = try c.accepting(quantity: 2, at: t0)
        #expect(c.remainingCapacity == 0)
    }

    @Test func refusesOutsideTheWindowAndWhenClosed() throws {
        let c = Fixtures.campaign()
        #expect { try c.accepting(quantity: 1, at: t0.adding(seconds: -1)) } throws: { ($0 as? DomainError)?.code == .campaignNotOpen }
        #expect { try c.accepting(quantity: 1, at: c.closesAt) } throws: { ($0 as? DomainError)?.code == .campaignClosed }
        var failed = c
        failed.status = .failed
        #expect { try failed.accepting(quantity: 1, at: t0) } throws: { ($0 as? DomainError)?.code == .campaignClosed }
    }

    @Test func cancellationUntipsAndStopsAtDeadline() throws {
        var c = Fixtures.campaign(threshold: 10)
        let p = Pledge(id: 1, campaignID: 1, request: Fixtures.request("a", 10), deposit: Fixtures.money(1000), at: t0)
        c = try c.accepting(quantity: 10, at: t0)
        #expect(c.status == .tipped)
        let back = try c.withdrawing(p, at: t0)
        #expect(back.status == .open && back.pledgedQuantity == 0)
        #expect { try c.withdrawing(p, at: c.cancellationDeadline) } throws: { ($0 as? DomainError)?.code == .cancellationClosed }
    }

    @Test func campaignStateMachineAllowsOnlyDocumentedEdges() {
        let allowed: Set<String> = ["draft>open", "draft>cancelled", "open>tipped", "tipped>open", "open>failed",
                                    "open>cancelled", "tipped>succeeded", "tipped>cancelled", "draft>closing", "open>closing",
                                    "tipped>closing", "closing>succeeded", "closing>failed", "closing>cancelled"]
        for from in CampaignStatus.allCases {
            for to in CampaignStatus.allCases {
                #expect(from.canTransition(to: to) == allowed.contains("\(from.rawValue)>\(to.rawValue)"), "\(from)->\(to)")
            }
        }
    }

    @Test func pledgeStateMachineAllowsOnlyDocumentedEdges() {
        let allowed: Set<String> = ["pledged>confirmed", "pledged>cancelled", "pledged>refunded",
                                    "confirmed>paid", "confirmed>defaulted", "confirmed>refunded", "paid>refunded"]
        for from in PledgeStatus.allCases {
            for to in PledgeStatus.allCases {
                #expect(from.canTransition(to: to) == allowed.contains("\(from.rawValue)>\(to.rawValue)"), "\(from)->\(to)")
            }
        }
    }

    @Test func draftRules() {
        let price = [PriceTier(minQuantity: 1, unitPrice: Fixtures.money(1000))]
        func draft(threshold: Int64 = 5, cap: Int64? = nil, closes: Int64 = 86_400, deposit: Int64 = 100,
                   deadline: Int64? = nil) throws -> CampaignDraft {
            try CampaignDraft(sku: "x", title: "T", opensAt: t0, closesAt: t0.adding(seconds: closes),
                              cancellationDeadline: deadline.map { t0.adding(seconds: $0) }, threshold: threshold, cap: cap,
                              tiers: price, depositPerUnit: Fixtures.money(deposit))
        }
        #expect(throws: Never.self) { try draft() }
        #expect { try draft(threshold: 0) } throws: { ($0 as? DomainError)?.field == "threshold" }
        #expect { try draft(cap: 4) } throws: { ($0 as? DomainError)?.field == "cap" }
        #expect { try draft(closes: 0) } throws: { ($0 as? DomainError)?.field == "closes_at" }
        #expect { try draft(deposit: 2000) } throws: { ($0 as? DomainError)?.field == "deposit_per_unit_minor" }
        #expect { try draft(deadline: 90_000) } throws: { ($0 as? DomainError)?.field == "cancellation_deadline" }
    }

    /// Property: whatever the sequence of pledge sizes, the accepted total never exceeds the cap
    /// and every refusal is exactly the case where it would have.
    @Test func neverAcceptsMoreThanTheCap() throws {
        var rng = SeededGenerator(seed: 99)
        for _ in 0..<200 {
            let cap = Int64.random(in: 1...200, using: &rng)
            var c = Fixtures.campaign(threshold: 1, cap: cap)
            c.maxPerPledge = 50
            for _ in 0..<100 {
                let q = Int64.random(in: 1...50, using: &rng)
                do {
                    c = try c.accepting(quantity: q, at: t0)
                } catch {
                    #expect(c.pledgedQuantity + q > cap)
                }
                #expect(c.pledgedQuantity <= cap)
            }
        }
    }
}
