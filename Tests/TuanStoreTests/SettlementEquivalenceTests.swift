import Foundation
import Testing
@testable import TuanApp
import TuanDomain
@testable import TuanSQLite
import TuanTesting

/// The set-based close (`SettlementPlan` applied by the store) against the rules stated over
/// loaded pledges (`CampaignSettlement.settle`): for random campaigns with leaders, team buys
/// that fill or not, cancellations, and every outcome, each pledge ends with the same status
/// and commission, the order with the same units and destinations, and the ledger moves by
/// exactly the reference's entries.
@Suite struct SettlementEquivalenceTests {
    @Test(arguments: Array(UInt64(1)...UInt64(12)))
    func theSetBasedCloseMatchesTheReferenceSettlement(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let f = try StoreFixture()
        let seeded = Seed(f.app, at: f.t0)
        for (code, rate) in [("ann", Int64(300)), ("bo", Int64(1_250)), ("cy", Int64(0))] {
            try f.app.registerLeader(try Leader(id: 0, code: code, name: code, pickupPoint: "Point \(code)", commissionBasisPoints: rate),
                                     at: f.t0).runBlocking()
        }
        let team = try TeamRule(size: 3, windowSeconds: 86_400, unitPrice: Money(minor: Int64.random(in: 500...1_100, using: &random),
                                                                                 currency: .cny))
        let campaign = try seeded.campaign(threshold: Int64.random(in: 1...40, using: &random), cap: nil,
                                           deposit: Int64.random(in: 0...150, using: &random), team: team)
        var openTeams: [String] = []
        for n in 0..<Int.random(in: 5...40, using: &random) {
            let leader = ["ann", "bo", "cy", "zed", nil, nil].randomElement(using: &random)!
            var choice: PledgeRequest.TeamChoice?
            switch Int.random(in: 0..<6, using: &random) {
            case 0: choice = .open
            case 1 where !openTeams.isEmpty: choice = .join(code: openTeams.randomElement(using: &random)!)
            default: choice = nil
            }
            let request = try PledgeRequest(consumerID: "c\(n)", quantity: Int64.random(in: 1...5, using: &random),
                                            leaderCode: leader == "zed" ? nil : leader, team: choice, idempotencyKey: "k\(n)")
            guard let outcome = try? f.app.placePledge(campaignID: campaign.id, request: request, scope: "t",
                                                       at: f.t0.adding(seconds: 60 + Int64(n))).runBlocking() else { continue }
            if case .open = choice, let code = outcome.team?.code { openTeams.append(code) }
            if Int.random(in: 0..<8, using: &random) == 0 { _ = try? f.app.cancelPledge(id: outcome.pledge.id, at: f.t0.adding(seconds: 3_600)).runBlocking() }
        }
        let reason: CampaignSettlement.Reason = Int.random(in: 0..<5, using: &random) == 0 ? .cancelled : .closed
        let closeAt = campaign.closesAt
        // The reference, over everything loaded.
        let (before, pledges, teams, leaders, product, balancesBefore) = try f.store.readSync { db in
            (try db.requireCampaign(id: campaign.id), try db.pledges(campaignID: campaign.id), try db.teams(campaignID: campaign.id),
             try ["ann", "bo", "cy"].compactMap { try db.leader(code: $0) }, try db.requireProduct(sku: campaign.sku), try db.ledgerBalances())
        }
        let expected = try CampaignSettlement.settle(before, pledges: pledges, product: product, reason: reason, at: closeAt,
                                                     teams: teams, leaders: leaders)
        // Settled in small chunks; in half the seeds the close stops after a few (as a crash
        // would leave it) and a new application over a new connection resumes it.
        let chunk = Int.random(in: 1...7, using: &random)
        let app = TuanApplication(engine: f.database.engine, settlementChunk: chunk)
        if Bool.random(using: &random) {
            let stopAfter = Int.random(in: 0...3, using: &random)
            try f.store.writeSync { db in
                let (plan, first) = try app.beginClose(id: campaign.id, reason: reason, at: closeAt, in: db)
                var settled = first
                for _ in 0..<stopAfter { settled = try app.settleChunk(plan, settled: settled, limit: chunk, in: db) ?? settled }
            }
            #expect(try f.app.campaign(id: campaign.id).runBlocking().status == .closing)
            let refused = try PledgeRequest(consumerID: "late", quantity: 1, idempotencyKey: "late")
            #expect(throws: DomainError.self) {
                try f.app.placePledge(campaignID: campaign.id, request: refused, scope: "t", at: closeAt).runBlocking()
            }
        }
        let resumed = TuanApplication(engine: try SQLiteEngine(path: f.database.path), settlementChunk: chunk)
        defer { resumed.close() }
        let close = try resumed.closeCampaign(id: campaign.id, reason: reason, at: closeAt).runBlocking()

        let after = try Dictionary(uniqueKeysWithValues: f.app.pledges(campaignID: campaign.id).runBlocking().map { ($0.id, $0) })
        let changed = Dictionary(uniqueKeysWithValues: expected.pledges.map { ($0.id, $0) })
        for pledge in pledges {
            let want = changed[pledge.id] ?? pledge
            #expect(after[pledge.id]?.status == want.status, "seed \(seed) pledge \(pledge.id)")
            #expect(after[pledge.id]?.commission == want.commission, "seed \(seed) pledge \(pledge.id)")
        }
        #expect(close.campaign.status == expected.campaign.status && close.campaign.finalUnitPrice == expected.campaign.finalUnitPrice)
        #expect(close.pledgesConfirmed == Int64(expected.pledges.filter { $0.status == .confirmed }.count))
        #expect(close.pledgesRefunded == Int64(expected.pledges.filter { $0.status == .refunded }.count))
        #expect(close.demand == expected.demand, "seed \(seed)")
        #expect(close.purchaseOrder?.lines.first?.destinations == expected.purchaseOrder?.lines.first?.destinations)
        let stored = try f.app.campaign(id: campaign.id).runBlocking()
        #expect(stored.pledgedQuantity == expected.campaign.pledgedQuantity && stored.pledgeCount == expected.campaign.pledgeCount)
        #expect(stored.status == expected.campaign.status)
        // The ledger moved by exactly the reference's entries.
        let balancesAfter = try f.app.ledgerBalances().runBlocking()
        for account in Account.allCases {
            let moved = expected.journal.flatMap(\.postings).filter { $0.account == account }.reduce(Int64(0)) { $0 + $1.amountMinor }
            #expect(balancesAfter.balance(account, currency: "CNY") - balancesBefore.balance(account, currency: "CNY") == moved,
                    "seed \(seed) \(account)")
        }
        let ledger = try f.checkLedger()
        #expect(ledger.balanced && ledger.runningMatchesPostings && ledger.escrowMatchesDeposits)
    }
}

/// A campaign left `closing` (as a crash mid-close leaves it): pledges, cancellations and a
/// call-off are refused, and closing it again concludes what was decided.
@Suite struct ClosingCampaignTests {
    @Test func aClosingCampaignRefusesChangesAndResumesItsDecidedClose() throws {
        let f = try StoreFixture()
        let campaign = try Seed(f.app, at: f.t0).campaign(threshold: 2, cap: nil)
        let pledges = try (0..<5).map { try Seed(f.app, at: f.t0).pledge(campaign.id, "c\($0)", 1).pledge }
        let app = TuanApplication(engine: f.database.engine, settlementChunk: 2)
        try f.store.writeSync { db in
            let (plan, settled) = try app.beginClose(id: campaign.id, reason: .closed, at: campaign.closesAt, in: db)
            _ = try app.settleChunk(plan, settled: settled, limit: 2, in: db)
        }
        let closing = try f.app.campaign(id: campaign.id).runBlocking()
        #expect(closing.status == .closing && closing.finalUnitPrice != nil)
        let late = try PledgeRequest(consumerID: "late", quantity: 1, idempotencyKey: "late")
        #expect { try f.app.placePledge(campaignID: campaign.id, request: late, scope: "t", at: campaign.closesAt).runBlocking() }
            throws: { ($0 as? DomainError)?.code == .campaignClosed }
        #expect(throws: DomainError.self) { try f.app.cancelPledge(id: pledges[4].id, at: f.t0.adding(seconds: 120)).runBlocking() }
        #expect { try f.app.closeCampaign(id: campaign.id, reason: .cancelled, at: campaign.closesAt).runBlocking() }
            throws: { ($0 as? DomainError)?.code == .invalidTransition }
        let close = try app.closeCampaign(id: campaign.id, reason: .closed, at: campaign.closesAt).runBlocking()
        #expect(close.campaign.status == .succeeded && close.pledgesConfirmed == 5 && close.pledgesRefunded == 0)
        #expect(close.purchaseOrder?.lines.first?.confirmedQuantity == 5)
        #expect(try f.app.pledges(campaignID: campaign.id, status: .confirmed).runBlocking().count == 5)
        // Concluded: closing it again is refused like any closed campaign's close.
        #expect(throws: DomainError.self) { try f.app.closeCampaign(id: campaign.id, reason: .closed, at: campaign.closesAt).runBlocking() }
    }
}

/// The same equivalence for campaigns of items (and some of one product) under every rounding
/// rule: random pledges with lines (price differences, leaders), the set-based close against
/// `CampaignSettlement.settle` over loaded pledges: each pledge's status, commission and lines,
/// every item's demand and the order's lines, the ledger.
@Suite struct ItemSettlementEquivalenceTests {
    @Test(arguments: Array(UInt64(1)...UInt64(30)))
    func theSetBasedCloseOfACampaignOfItemsMatchesTheReference(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let f = try StoreFixture()
        try f.app.registerLeader(try Leader(id: 0, code: "ann", name: "Ann", pickupPoint: "North", commissionBasisPoints: 450), at: f.t0).runBlocking()
        let supplier = try f.app.createSupplier(name: "Factory", endpointURL: nil, webhookSecret: "whsec_c2VlZA==", at: f.t0).runBlocking()
        var items: [CampaignItem] = []
        // Every rounding rule: up, nearest, down; below the MOQ round up or drop.
        for index in 0..<Int.random(in: 2...5, using: &random) {
            var product = try Product(sku: "v\(index)", supplierID: supplier.id, name: "V\(index)",
                                      casePack: Int64.random(in: 1...6, using: &random), minimumOrderQuantity: Int64.random(in: 0...10, using: &random),
                                      unitCost: Money(minor: 300, currency: .cny), capacity: nil, style: "s",
                                      attributes: [try ProductAttribute(name: "size", value: "\(index)")])
            product.rounding = [.up, .down, .nearest(tolerance: Int64.random(in: 0...3, using: &random))][Int.random(in: 0...2, using: &random)]
            product.belowMinimum = Bool.random(using: &random) ? .drop : .roundUp
            _ = try f.app.createProduct(product, at: f.t0).runBlocking()
            items.append(try CampaignItem(sku: "v\(index)", priceDelta: Money(minor: Int64.random(in: 0...3, using: &random) * 70, currency: .cny)))
        }
        // Some seeds sell the first product alone, the way campaigns were made before items.
        if seed % 3 == 0 { items = [] }
        let draft = try CampaignDraft(sku: "v0", title: "Items", opensAt: f.t0, closesAt: f.t0.adding(days: 3), threshold: Int64.random(in: 1...40, using: &random),
                                      cap: nil, tiers: [PriceTier(minQuantity: 1, unitPrice: Money(minor: 1_000, currency: .cny)),
                                                        PriceTier(minQuantity: 25, unitPrice: Money(minor: 850, currency: .cny))],
                                      depositPerUnit: Money(minor: Int64.random(in: 0...150, using: &random), currency: .cny), items: items,
                                      styleMinimum: !items.isEmpty && Bool.random(using: &random) ? Int64.random(in: 1...40, using: &random) : nil)
        let campaign = try f.app.createCampaign(draft, publish: true, at: f.t0).runBlocking()
        for n in 0..<Int.random(in: 3...30, using: &random) {
            let lines = items.isEmpty ? [] : Array(items.shuffled(using: &random).prefix(Int.random(in: 1...items.count, using: &random))).map {
                PledgeLine.Request(sku: $0.sku, quantity: Int64.random(in: 1...5, using: &random))
            }
            let request = try PledgeRequest(consumerID: "c\(n)", quantity: lines.isEmpty ? Int64.random(in: 1...5, using: &random) : nil, lines: lines, leaderCode: Bool.random(using: &random) ? "ann" : nil,
                                            pickupPoint: Bool.random(using: &random) ? "South" : nil, idempotencyKey: "k\(n)")
            let outcome = try f.app.placePledge(campaignID: campaign.id, request: request, scope: "t", at: f.t0.adding(seconds: 60 + Int64(n))).runBlocking()
            if Int.random(in: 0..<6, using: &random) == 0 { _ = try f.app.cancelPledge(id: outcome.pledge.id, at: f.t0.adding(seconds: 3_600)).runBlocking() }
        }
        let skus = items.isEmpty ? ["v0"] : items.map(\.sku)
        // Stock on hand for some SKUs: served before anything is ordered.
        var stock: [String: Int64] = [:]
        for sku in skus where Bool.random(using: &random) { stock[sku] = Int64.random(in: 1...12, using: &random) }
        let rows = stock.map { "('\($0.key)', \($0.value))" }.joined(separator: ", ")
        if !rows.isEmpty { try f.store.writeSync { db in try db.executeRaw("INSERT INTO stock_levels(sku, quantity) VALUES \(rows)") } }
        let (before, pledges, leaders, products, balancesBefore) = try f.store.readSync { db in
            (try db.requireCampaign(id: campaign.id), try db.pledges(campaignID: campaign.id), try ["ann"].compactMap { try db.leader(code: $0) },
             try skus.map { try db.requireProduct(sku: $0) }, try db.ledgerBalances())
        }
        let expected = try CampaignSettlement.settle(before, pledges: pledges, products: products, reason: .closed, at: campaign.closesAt,
                                                     leaders: leaders, stock: stock)
        let app = TuanApplication(engine: f.database.engine, settlementChunk: Int.random(in: 1...7, using: &random))
        let close = try app.closeCampaign(id: campaign.id, reason: .closed, at: campaign.closesAt).runBlocking()
        let after = try Dictionary(uniqueKeysWithValues: f.app.pledges(campaignID: campaign.id).runBlocking().map { ($0.id, $0) })
        let changed = Dictionary(uniqueKeysWithValues: expected.pledges.map { ($0.id, $0) })
        for pledge in pledges {
            let want = changed[pledge.id] ?? pledge
            #expect(after[pledge.id]?.status == want.status && after[pledge.id]?.commission == want.commission, "seed \(seed) pledge \(pledge.id)")
            #expect(after[pledge.id]?.lines.map(\.status) == want.lines.map(\.status), "seed \(seed) pledge \(pledge.id) lines")
        }
        #expect(close.campaign.status == expected.campaign.status && close.campaign.finalUnitPrice == expected.campaign.finalUnitPrice, "seed \(seed)")
        #expect(close.demands == expected.demands, "seed \(seed)")
        // What stock served left it.
        let left = try f.store.readSync { db in try db.stockLevels() }
        for sku in skus {
            let served = expected.demands.first { $0.sku == sku }?.fromStock ?? 0
            #expect((left.first { $0.sku == sku }?.quantity ?? 0) == (stock[sku] ?? 0) - served, "seed \(seed) \(sku) stock")
        }
        #expect(close.purchaseOrder?.lines == expected.purchaseOrder?.lines, "seed \(seed)")
        let balancesAfter = try f.app.ledgerBalances().runBlocking()
        for account in Account.allCases {
            let moved = expected.journal.flatMap(\.postings).filter { $0.account == account }.reduce(Int64(0)) { $0 + $1.amountMinor }
            #expect(balancesAfter.balance(account, currency: "CNY") - balancesBefore.balance(account, currency: "CNY") == moved, "seed \(seed) \(account)")
        }
        let ledger = try f.checkLedger()
        #expect(ledger.balanced && ledger.runningMatchesPostings && ledger.escrowMatchesDeposits)
    }
}
