import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanTesting

/// Properties of campaigns of items over seeded random workloads through the application and a
/// real SQLite file: quantities are conserved from lines to the campaign and its items to the
/// order's lines and destinations; per-item caps and the campaign's cap hold under concurrent
/// baskets; the ledger balances after random partial acceptances that refund lines.
@Suite struct ItemPropertyTests {
    static let start = Timestamp(seconds: 1_800_000_000)

    /// A supplier, `skus` variants of one style (cases of `casePack`) and an open campaign of
    /// them, each item with the cap given (nil: none), XL-like items priced `delta` more.
    static func campaign(_ app: TuanApplication, skus: Int, caps: [Int64?], cap: Int64?, threshold: Int64 = 5, casePack: Int64 = 4,
                         deposit: Int64 = 300, delta: Int64 = 150, rounding: [RoundingPolicy] = []) throws -> Campaign {
        let supplier = try app.createSupplier(name: "Factory", endpointURL: nil, webhookSecret: "whsec_c2VlZA==", at: start).runBlocking()
        var items: [CampaignItem] = []
        for index in 0..<skus {
            let sku = "v\(index)"
            var product = try Product(sku: sku, supplierID: supplier.id, name: "Variant \(index)", casePack: casePack,
                                      minimumOrderQuantity: 0, unitCost: Money(minor: 500, currency: .cny), capacity: nil,
                                      category: "outerwear", style: "style-1",
                                      attributes: [try ProductAttribute(name: "size", value: "\(index)")])
            if index < rounding.count { product.rounding = rounding[index] }
            _ = try app.createProduct(product, at: start).runBlocking()
            items.append(try CampaignItem(sku: sku, priceDelta: Money(minor: index % 3 == 2 ? delta : 0, currency: .cny), cap: caps[index]))
        }
        let draft = try CampaignDraft(sku: "v0", title: "Style", opensAt: start, closesAt: start.adding(days: 7), threshold: threshold,
                                      cap: cap, tiers: [PriceTier(minQuantity: 1, unitPrice: Money(minor: 2000, currency: .cny)),
                                                        PriceTier(minQuantity: 40, unitPrice: Money(minor: 1700, currency: .cny))],
                                      depositPerUnit: Money(minor: deposit, currency: .cny), maxPerPledge: 30, items: items, styleMinimum: threshold)
        return try app.createCampaign(draft, publish: true, at: start).runBlocking()
    }

    static func randomLines(_ random: inout SeededGenerator, skus: Int) -> [PledgeLine.Request] {
        let count = Int.random(in: 1...min(3, skus), using: &random)
        return Array((0..<skus).shuffled(using: &random).prefix(count)).map {
            PledgeLine.Request(sku: "v\($0)", quantity: Int64.random(in: 1...6, using: &random))
        }
    }

    @Test(arguments: 1...24) func quantitiesAreConservedAndTheLedgerBalancesAfterRandomPartialAcceptances(seed: UInt64) throws {
        let database = try TestDatabase(), app = database.app
        var random = SeededGenerator(seed: seed)
        let skus = Int.random(in: 2...6, using: &random)
        let caps: [Int64?] = (0..<skus).map { _ in random.unit() < 0.3 ? Int64.random(in: 5...20, using: &random) : nil }
        let rounding: [RoundingPolicy] = (0..<skus).map { _ in [.up, .down, .nearest(tolerance: 2)][Int.random(in: 0...2, using: &random)] }
        let campaign = try Self.campaign(app, skus: skus, caps: caps, cap: random.unit() < 0.5 ? 120 : nil, rounding: rounding)
        _ = try app.registerLeader(try Leader(id: 0, code: "wang", name: "Wang", pickupPoint: "Gate", commissionBasisPoints: 700), at: Self.start).runBlocking()
        var placed: [Int64] = []
        for n in 0..<Int.random(in: 10...40, using: &random) {
            let request = try PledgeRequest(consumerID: "c\(n % 7)", quantity: nil, lines: Self.randomLines(&random, skus: skus),
                                            leaderCode: random.unit() < 0.4 ? "wang" : nil,
                                            pickupPoint: ["A", "B", nil][Int.random(in: 0...2, using: &random)], idempotencyKey: "k\(n)")
            do {
                placed.append(try app.placePledge(campaignID: campaign.id, request: request, scope: "test",
                                                  at: Self.start.adding(seconds: Int64(60 + n))).runBlocking().pledge.id)
            } catch let error as DomainError where error.code == .soldOut {}
            if random.unit() < 0.1, let victim = placed.randomElement(using: &random) {
                _ = try? app.cancelPledge(id: victim, at: Self.start.adding(seconds: Int64(61 + n))).runBlocking()
            }
        }
        // Lines → campaign and items, before the close.
        let before = try app.campaign(id: campaign.id).runBlocking()
        let live = try app.snapshotBlocking { db in try db.pledges(campaignID: campaign.id, status: .pledged) }
        #expect(before.pledgedQuantity == live.reduce(0) { $0 + $1.quantity })
        #expect(live.allSatisfy { $0.quantity == $0.lines.reduce(0) { $0 + $1.quantity } })
        for (index, item) in before.items.enumerated() {
            #expect(item.pledgedQuantity == live.reduce(0) { $0 + $1.activeQuantity(of: item.sku) })
            #expect(caps[index].map { item.pledgedQuantity <= $0 } ?? true)
        }
        #expect(before.cap.map { before.pledgedQuantity <= $0 } ?? true)

        let close = try app.closeCampaign(id: campaign.id, reason: .closed, at: Self.start.adding(days: 7)).runBlocking()
        #expect(try app.ledgerAudit().runBlocking().isConsistent)
        guard close.campaign.status == .succeeded, let order = close.purchaseOrder else {
            #expect(before.pledgedQuantity < before.threshold)
            return
        }
        // Lines → order lines and destinations, each rounded by its product's rule: pledged =
        // ordered − surplus + what rounding refunded, per SKU; a case's worth at most either way.
        let closed = try app.snapshotBlocking { db in try db.pledges(campaignID: campaign.id, status: nil) }
        for (index, item) in before.items.enumerated() {
            let pledged = live.reduce(0) { $0 + $1.activeQuantity(of: item.sku) }
            let kept = closed.filter { $0.status == .confirmed }.reduce(0) { $0 + $1.activeQuantity(of: item.sku) }
            // Counted from what the close marked refunded: whole pledges, or their lines of this SKU.
            let refunded = closed.filter { live.map(\.id).contains($0.id) }.reduce(0) { total, pledge in
                total + pledge.lines.filter { $0.sku == item.sku && ($0.status == .refunded || pledge.status == .refunded) }.reduce(0) { $0 + $1.quantity }
            }
            let line = order.lines.first { $0.sku == item.sku }
            let ordered = line?.orderQuantity ?? 0
            #expect((line?.confirmedQuantity ?? 0) == kept && (line?.destinations.reduce(0) { $0 + $1.quantity } ?? 0) == kept)
            #expect(pledged == kept + refunded && ordered >= kept && ordered % 4 == 0, "seed \(seed) \(item.sku): \(pledged) ≠ \(kept) + \(refunded)")
            switch rounding[index] {
            case .up: #expect(refunded == 0 && ordered - kept < 4)
            case .down: #expect(ordered <= pledged && pledged - ordered < 4)
            case .nearest: #expect(abs(ordered - pledged) < 4 && (ordered >= pledged || pledged - ordered <= 2))
            }
        }

        // Some pay first; the supplier answers short on random lines.
        for id in try app.snapshotBlocking({ db in try db.pledges(campaignID: campaign.id, status: .confirmed) }).map(\.id) where random.unit() < 0.4 {
            _ = try app.payBalance(pledgeID: id, at: Self.start.adding(days: 7).adding(seconds: 10)).runBlocking()
        }
        var accepted: [String: Int64] = [:]
        for line in order.lines { accepted[line.sku] = random.unit() < 0.5 ? Int64.random(in: 0...line.orderQuantity, using: &random) : line.orderQuantity }
        let short = order.lines.contains { accepted[$0.sku]! < $0.orderQuantity }
        let answer = short ? PurchaseOrderAcknowledgement(decision: .partiallyAccepted, acceptedQuantities: accepted,
                                                          promisedShipAt: Self.start.adding(days: 20), reason: "short")
                           : PurchaseOrderAcknowledgement(decision: .accepted, promisedShipAt: Self.start.adding(days: 20))
        let (outcome, _) = try app.acknowledgePurchaseOrder(id: order.id, answer, by: nil, at: Self.start.adding(days: 8)).runBlocking()
        let after = try app.snapshotBlocking { db in try db.pledges(campaignID: campaign.id, status: nil) }
        for line in outcome.order.lines {
            let kept = after.filter { $0.status == .confirmed || $0.status == .paid }.reduce(0) { $0 + $1.activeQuantity(of: line.sku) }
            #expect(kept <= line.acceptedQuantity!, "\(line.sku): \(kept) kept of \(line.acceptedQuantity!) accepted")
            #expect(line.destinations.reduce(0) { $0 + $1.quantity } == kept)
            // Nothing refunded that would have fitted: every refunded line of this SKU was too big for what was left.
            let refundedLines = after.flatMap { $0.lines }.filter { $0.sku == line.sku && $0.status == .refunded }
            #expect(refundedLines.allSatisfy { kept + $0.quantity > line.acceptedQuantity! })
        }
        #expect(try app.ledgerAudit().runBlocking().isConsistent, "seed \(seed)")
        // The goods arrive, short or over on random lines: received = kept + stock + what did not
        // fill a line (the surplus), and the lines refunded are exactly those that did not fit.
        guard outcome.order.status != .rejected else { return }
        var arrived: [String: Int64] = [:]
        for line in outcome.order.lines {
            arrived[line.sku] = [line.shippingQuantity, Int64.random(in: 0...line.shippingQuantity, using: &random),
                                 line.shippingQuantity + Int64.random(in: 1...5, using: &random)][Int.random(in: 0...2, using: &random)]
        }
        let receipt = try app.receivePurchaseOrder(id: order.id, PurchaseOrderReceipt(receivedQuantities: arrived),
                                                   at: Self.start.adding(days: 8).adding(seconds: 60)).runBlocking()
        let received = try app.snapshotBlocking { db in try db.pledges(campaignID: campaign.id, status: nil) }
        let stock = Dictionary(uniqueKeysWithValues: try app.stockLevels().runBlocking().map { ($0.sku, $0.quantity) })
        for line in receipt.order.lines {
            let kept = received.filter { $0.status == .confirmed || $0.status == .paid }.reduce(0) { $0 + $1.activeQuantity(of: line.sku) }
            #expect(kept <= arrived[line.sku]! && line.destinations.reduce(0) { $0 + $1.quantity } == kept, "seed \(seed) \(line.sku)")
            // received = kept (to hand out) + stock (+ what was refunded short: not here).
            #expect(stock[line.sku, default: 0] == arrived[line.sku]! - kept, "seed \(seed) \(line.sku) stock")
            #expect(line.cost.minor == line.unitCost.minor * arrived[line.sku]!)
        }
        #expect(try app.ledgerAudit().runBlocking().isConsistent, "seed \(seed) after the receipt")
        // What stands can still be paid or default; the ledger still balances.
        for pledge in received where pledge.status == .confirmed {
            if random.unit() < 0.5 {
                _ = try app.payBalance(pledgeID: pledge.id, at: Self.start.adding(days: 9)).runBlocking()
            } else {
                _ = try app.defaultPledge(id: pledge.id, at: Self.start.adding(days: 30)).runBlocking()
            }
        }
        let audit = try app.ledgerAudit().runBlocking()
        #expect(audit.isConsistent, "seed \(seed): \(audit.running.balances)")
    }

    /// Baskets from many tasks at once into two campaigns of tightly capped items: no item and
    /// no campaign ever holds more than its cap, and the counts equal the lines that stand.
    @Test func capsHoldUnderConcurrentBaskets() async throws {
        let database = try TestDatabase(), app = database.app
        let first = try Self.campaign(app, skus: 3, caps: [7, 5, nil], cap: 20)
        let supplier = try app.createSupplier(name: "Other", endpointURL: nil, webhookSecret: "whsec_c2VlZA==", at: Self.start).runBlocking()
        _ = try app.createProduct(try Product(sku: "w0", supplierID: supplier.id, name: "W0", casePack: 1, minimumOrderQuantity: 0,
                                              unitCost: Money(minor: 100, currency: .cny), capacity: nil, style: "style-2",
                                              attributes: [try ProductAttribute(name: "size", value: "0")]), at: Self.start).runBlocking()
        let second = try app.createCampaign(try CampaignDraft(
            sku: "w0", title: "W", opensAt: Self.start, closesAt: Self.start.adding(days: 7), threshold: 1, cap: 9,
            tiers: [PriceTier(minQuantity: 1, unitPrice: Money(minor: 900, currency: .cny))], depositPerUnit: Money(minor: 100, currency: .cny),
            items: [try CampaignItem(sku: "w0", priceDelta: .zero(.cny), cap: 6)]), publish: true, at: Self.start).runBlocking()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<16 {
                group.addTask {
                    var random = SeededGenerator(seed: UInt64(task))
                    for n in 0..<12 {
                        let basket = try BasketRequest(consumerID: "c\(task)", lines: [
                            BasketRequest.Line(campaignID: first.id, quantity: 0, items: Self.randomLines(&random, skus: 3)),
                            BasketRequest.Line(campaignID: second.id, quantity: 0, items: [PledgeLine.Request(sku: "w0", quantity: Int64.random(in: 1...2, using: &random))]),
                        ], partial: random.unit() < 0.5, idempotencyKey: "b\(task)-\(n)")
                        do {
                            _ = try await app.placeBasket(basket, scope: "test", at: Self.start.adding(seconds: 100)).run()
                        } catch let error as DomainError where error.code == .soldOut {}
                    }
                }
            }
            try await group.waitForAll()
        }
        for (campaign, caps) in [(first, [Int64?(7), 5, nil]), (second, [Int64?(6)])] {
            let stored = try app.campaign(id: campaign.id).runBlocking()
            let pledges = try app.snapshotBlocking { db in try db.pledges(campaignID: campaign.id, status: .pledged) }
            #expect(stored.pledgedQuantity <= stored.cap! && stored.pledgedQuantity == pledges.reduce(0) { $0 + $1.quantity })
            for (index, item) in stored.items.enumerated() {
                #expect(caps[index].map { item.pledgedQuantity <= $0 } ?? true, "\(item.sku): \(item.pledgedQuantity)")
                #expect(item.pledgedQuantity == pledges.reduce(0) { $0 + $1.activeQuantity(of: item.sku) })
            }
        }
        // The tight caps were reached: the test exercised refusals, not only successes.
        #expect(try app.campaign(id: second.id).runBlocking().items[0].pledgedQuantity == 6)
        #expect(try app.ledgerAudit().runBlocking().isConsistent)
    }
}
