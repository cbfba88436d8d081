import Foundation
import Synchronization
import Testing
import TuanDomain
import TuanStore
@testable import TuanService

/// One item that cannot be applied never stops the others: it is logged, counted and retried
/// after a back-off. Before, the first error ended the round, so every campaign due after a
/// failing one stayed open past its deadline.
@Suite struct SchedulerTests {
    let t0 = Timestamp(seconds: 1_800_000_000)

    /// A campaign that closes at `t0 + closesIn` with one pledge of `pledged` units.
    func campaign(_ db: Database, sku: String, closesIn: Int64, pledged: Int64) throws -> Int64 {
        let draft = try CampaignDraft(sku: sku, title: "T", opensAt: t0, closesAt: t0.adding(seconds: closesIn), threshold: 1, cap: nil,
                                      tiers: [PriceTier(minQuantity: 1, unitPrice: Money(minor: 500, currency: .cny))],
                                      depositPerUnit: .zero(.cny))
        let id = try db.insertCampaign(draft, publish: true, at: t0).id
        if pledged > 0 {
            _ = try db.placePledge(campaignID: id, request: try PledgeRequest(consumerID: "c", quantity: pledged, idempotencyKey: "k\(id)"),
                                   scope: "t", at: t0.adding(seconds: 1))
        }
        return id
    }

    @Test func aCampaignThatCannotCloseDoesNotBlockTheOnesAfterIt() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sched-\(UUID().uuidString).db").path
        let store = try Store(path: path)
        defer { store.close() }
        let t0 = self.t0
        let (stuck, later) = try store.writeSync { db in
            let s = try db.insertSupplier(name: "S", endpointURL: nil, webhookSecret: "whsec_x", at: t0)
            try db.insertProduct(try Product(sku: "p", supplierID: s.id, name: "P", casePack: 1, minimumOrderQuantity: 0,
                                             unitCost: Money(minor: 400, currency: .cny), capacity: nil), at: t0)
            // Its close owes the supplier 400 more than the cost-of-goods balance can hold.
            try db.connection.run("INSERT INTO account_balances VALUES ('CNY', 'cost_of_goods', ?), ('CNY', 'supplier_payables', ?)",
                                  [.integer(Int64.max - 100), .integer(-(Int64.max - 100))])
            return (try campaign(db, sku: "p", closesIn: 60, pledged: 1), try campaign(db, sku: "p", closesIn: 120, pledged: 0))
        }
        let clock = TestClock(t0.adding(seconds: 200))
        let logged = Mutex<[String]>([])
        let scheduler = CampaignScheduler(store: store, clock: { clock.now }, log: { line in logged.withLock { $0.append(line) } },
                                          retryAfter: .seconds(60))
        #expect(await scheduler.closeDueCampaigns() == 1)
        let (first, second) = try store.readSync { db in (try db.requireCampaign(id: stuck), try db.requireCampaign(id: later)) }
        #expect(first.status == .tipped)
        #expect(second.status == .failed)
        #expect(scheduler.failures[.campaignClose] == 1)
        #expect(logged.withLock { $0.contains { $0.contains("campaign_close \(stuck) failed") && $0.contains("cost_of_goods") } })
        // Backed off: the next round does not try it again at once.
        #expect(await scheduler.closeDueCampaigns() == 0)
        #expect(scheduler.failures[.campaignClose] == 1)
    }

    @Test func backOffDoublesUpToTheMaximumAndForgetsOnSuccess() {
        let backOff = SchedulerBackOff(first: .seconds(5), maximum: .seconds(30))
        #expect(backOff.isDue("a"))
        #expect(backOff.failed("a") == .seconds(5))
        #expect(!backOff.isDue("a"))
        #expect(backOff.failed("a") == .seconds(10))
        #expect(backOff.failed("a") == .seconds(20))
        #expect(backOff.failed("a") == .seconds(30))
        #expect(backOff.failed("a") == .seconds(30))
        #expect(backOff.isDue("b"))
        backOff.succeeded("a")
        #expect(backOff.isDue("a"))
    }
}
