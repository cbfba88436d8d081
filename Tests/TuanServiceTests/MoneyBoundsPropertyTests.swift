import Foundation
import Testing
import TuanTesting
import TuanApp
import TuanDomain
@testable import TuanSQLite
import TuanStore
@testable import TuanService

/// Property: random amounts and quantities up to the documented bounds, through pledges,
/// subscriptions, closes, cut-offs, acknowledgements and payments, on a real database. Nothing
/// traps; every refusal is a `DomainError` answered 4xx (an overflow always 422
/// `amount_overflow`), never an SQLite or internal error; afterwards the ledger balances, its
/// running balances equal its postings, escrow equals the deposits held, every balance is an
/// integer, and `tuan ledger balance` succeeds. The extremes are drawn often enough that the
/// ledger's own 64-bit limit is reached and defended within one run.
@Suite struct MoneyBoundsPropertyTests {
    /// Mostly the bound itself, sometimes a small or a random value in range.
    static func draw(_ range: ClosedRange<Int64>, _ g: inout SeededGenerator) -> Int64 {
        switch Int.random(in: 0..<10, using: &g) {
        case 0..<8: range.upperBound
        case 8: range.lowerBound
        default: Int64.random(in: range, using: &g)
        }
    }

    /// Records a refusal; fails the test for anything that is not a domain refusal with a 4xx status.
    final class Refusals: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var codes: [String: Int] = [:]
        func record(_ error: any Error, sourceLocation: SourceLocation = #_sourceLocation) {
            guard let domain = error as? DomainError else {
                Issue.record("not a domain refusal: \(error)", sourceLocation: sourceLocation); return
            }
            let status = domain.status
            #expect((400..<500).contains(status), "\(domain.code) answered \(status)", sourceLocation: sourceLocation)
            if domain.code == .overflow { #expect(status == 422, sourceLocation: sourceLocation) }
            lock.lock(); codes[domain.code.rawValue, default: 0] += 1; lock.unlock()
        }
        var total: Int { codes.values.reduce(0, +) }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    /// Every write awaits its use case rather than blocking: three seeds run at once, and a
    /// blocked cooperative pool (one thread per core) stalls every other suite in the process.
    func randomAmountsUpToTheBoundsNeverTrapAndKeepTheLedger(seed: UInt64) async throws {
        var g = SeededGenerator(seed: seed)
        let database = try TestDatabase()
        let store = database.store, app = database.app
        let refusals = Refusals()
        let t0 = Timestamp(seconds: 1_800_000_000)
        let cny = Currency.cny

        // A catalogue at the bounds: unit costs, case packs and MOQs mostly at their largest.
        var skus: [String] = []
        for i in 0..<3 {
            let product = try Product(sku: "p\(i)", supplierID: 1, name: "P\(i)", casePack: Self.draw(1...Bounds.casePack, &g),
                                      minimumOrderQuantity: Self.draw(0...Bounds.campaignUnits, &g),
                                      unitCost: Money(minor: Self.draw(0...Bounds.unitAmountMinor, &g), currency: cny), capacity: nil)
            if i == 0 { _ = try await app.createSupplier(name: "S", endpointURL: nil, webhookSecret: "whsec_x", at: t0).run() }
            _ = try await app.createProduct(product, at: t0).run()
            skus.append(product.sku)
        }
        // Campaigns at the bounds: prices, deposits and per-pledge quantities mostly at their largest.
        var campaigns: [Int64] = []
        for i in 0..<16 {
            let price = Self.draw(1...Bounds.unitAmountMinor, &g)
            let draft = try CampaignDraft(
                sku: skus[i % skus.count], title: "C\(i)", opensAt: t0, closesAt: t0.adding(days: 3), threshold: Self.draw(1...1_000, &g),
                cap: Bool.random(using: &g) ? nil : Self.draw(1_000...Bounds.campaignUnits, &g),
                tiers: [PriceTier(minQuantity: 1, unitPrice: Money(minor: price, currency: cny))],
                depositPerUnit: Money(minor: Self.draw(0...price, &g), currency: cny), maxPerPledge: Bounds.pledgeQuantity)
            campaigns.append(try await app.createCampaign(draft, publish: true, at: t0).run().id)
        }

        // Pledges, concurrently (group commits), quantities mostly the largest one pledge may ask.
        let pledgeAt = t0.adding(seconds: 60)
        var requests: [(Int64, PledgeRequest)] = []
        for n in 0..<16_000 {
            requests.append((campaigns[n % campaigns.count],
                             try PledgeRequest(consumerID: "c\(n)", quantity: Self.draw(1...Bounds.pledgeQuantity, &g), idempotencyKey: "k\(n)")))
        }
        // 64 in flight at a time: enough to fill group commits, and not 16 000 jobs queued on the
        // cooperative pool ahead of every other suite's work.
        var accepted: [Int64] = []
        for wave in stride(from: 0, to: requests.count, by: 64) {
            accepted += await withTaskGroup(of: Int64?.self) { group -> [Int64] in
                for (campaign, request) in requests[wave..<min(wave + 64, requests.count)] {
                    group.addTask {
                        do { return try await app.placePledge(campaignID: campaign, request: request, scope: "t", at: pledgeAt).run().pledge.id }
                        catch { refusals.record(error); return nil }
                    }
                }
                return await group.reduce(into: []) { if let id = $1 { $0.append(id) } }
            }
        }
        #expect(!accepted.isEmpty)

        // Subscriptions at the bounds, then their first week's cut-off.
        for n in 0..<20 {
            let price = Self.draw(1...Bounds.unitAmountMinor, &g), quantity = Self.draw(1...Bounds.subscriptionQuantity, &g)
            do {
                let request = try SubscriptionRequest(consumerID: "s\(n)", sku: skus[n % skus.count], quantity: quantity, start: nil, periods: 2,
                                                      unitPrice: Money(minor: price, currency: cny),
                                                      deposit: Money(minor: Self.draw(0...price, &g), currency: cny), at: t0)
                _ = try await app.subscribe(request, scope: "t", idempotencyKey: "s\(n)", at: t0).run()
            } catch { refusals.record(error) }
        }
        let later = t0.adding(days: 30)
        for week in try await app.subscriptionWeeksDue(at: later).run() {
            do { _ = try await app.cutOffWeek(week, at: later).run() } catch { refusals.record(error) }
        }

        // Closes (supplier payables at up to 10^18 each), answers with random quantities, payments.
        let closeAt = t0.adding(days: 4)
        for campaign in campaigns {
            do { _ = try await app.closeCampaign(id: campaign, reason: .closed, at: closeAt).run() } catch { refusals.record(error) }
        }
        for order in try await app.purchaseOrders().run().0 where order.status == .open {
            let quantities = Dictionary(uniqueKeysWithValues: order.lines.map { ($0.sku, Self.draw(0...$0.orderQuantity, &g)) })
            let short = order.lines.contains { quantities[$0.sku]! < $0.orderQuantity }
            let answer = short
                ? PurchaseOrderAcknowledgement(decision: .partiallyAccepted, acceptedQuantities: quantities, promisedShipAt: closeAt, reason: "short")
                : PurchaseOrderAcknowledgement(decision: .accepted, promisedShipAt: closeAt)
            do { _ = try await app.acknowledgePurchaseOrder(id: order.id, answer, by: nil, at: closeAt).run() } catch { refusals.record(error) }
        }
        for pledge in accepted.shuffled(using: &g).prefix(400) {
            do { _ = try await app.payBalance(pledgeID: pledge, at: closeAt).run() } catch { refusals.record(error) }
        }

        // The ledger holds: balanced, running = postings, escrow = deposits, integers only.
        let (running, audit, held, types) = try store.readSync { db in
            (try db.ledgerBalances(), try db.ledgerBalancesFromPostings(), try db.depositsHeld(),
             try db.connection.query("SELECT DISTINCT typeof(balance_minor) FROM account_balances", []) { $0.string(0) })
        }
        #expect(running.isBalanced && running == audit)
        #expect(running.escrowHeld(currency: "CNY") == (held["CNY"] ?? 0))
        #expect(types == ["integer"])
        #expect(refusals.codes["amount_overflow", default: 0] > 0, "the bounds were not reached: \(refusals.codes)")
        print("seed \(seed): \(accepted.count) pledges accepted, refusals \(refusals.codes.sorted { $0.key < $1.key })")
        database.engine.close()
        var output = ""
        let status = TuanCLI.run(["ledger", "balance", "--db", database.path], environment: [:], standardOutput: { output += $0 }, standardError: { output += $0 })
        #expect(status == 0 && output.contains("ledger balanced"), "\(output)")
    }
}
