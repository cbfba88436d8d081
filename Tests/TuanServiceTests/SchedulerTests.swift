import Foundation
import Synchronization
import Testing
import TuanDomain
@testable import TuanSQLite
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

/// The default sweep: at `balance_due_at` every confirmed pledge still unpaid defaults, its
/// deposit forfeited or refunded by the campaign's rule and its leader's commission reversed;
/// paid pledges and campaigns not yet due are left alone, and the ledger stays balanced.
@Suite struct DefaultSweepTests {
    let t0 = Timestamp(seconds: 1_800_000_000)

    @Test func unpaidPledgesDefaultAtTheirDueTimeByTheCampaignsRule() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-\(UUID().uuidString).db").path
        let store = try Store(path: path)
        defer { store.close() }
        let t0 = self.t0
        // Two campaigns closing at t0 + 1 h: one forfeits deposits on default, one refunds them.
        let (forfeits, refunds) = try store.writeSync { db -> (Int64, Int64) in
            let s = try db.insertSupplier(name: "S", endpointURL: nil, webhookSecret: "whsec_x", at: t0)
            try db.insertProduct(try Product(sku: "p", supplierID: s.id, name: "P", casePack: 1, minimumOrderQuantity: 0,
                                             unitCost: Money(minor: 100, currency: .cny), capacity: nil), at: t0)
            _ = try db.insertLeader(try Leader(id: 0, code: "wang", name: "Wang", pickupPoint: "Gate", commissionBasisPoints: 1_000), at: t0)
            var ids: [Int64] = []
            for forfeit in [true, false] {
                let draft = try CampaignDraft(sku: "p", title: "T", opensAt: t0, closesAt: t0.adding(seconds: 3_600),
                                              balanceDueAt: t0.adding(days: 2), threshold: 1, cap: nil,
                                              tiers: [PriceTier(minQuantity: 1, unitPrice: Money(minor: 1_000, currency: .cny))],
                                              depositPerUnit: Money(minor: 200, currency: .cny), forfeitDepositOnDefault: forfeit)
                let id = try db.insertCampaign(draft, publish: true, at: t0).id
                for consumer in ["a", "b"] {
                    _ = try db.placePledge(campaignID: id, request: try PledgeRequest(consumerID: consumer, quantity: 2, leaderCode: "wang",
                                                                                        idempotencyKey: "\(id)\(consumer)"),
                                           scope: "t", at: t0.adding(seconds: 60))
                }
                ids.append(id)
            }
            return (ids[0], ids[1])
        }
        let clock = TestClock(t0.adding(seconds: 3_601))
        let scheduler = CampaignScheduler(store: store, clock: { clock.now }, log: { _ in })
        await scheduler.runDueWork()
        // "a" pays in both campaigns; "b" does not.
        let paidAt = t0.adding(days: 1)
        for campaign in [forfeits, refunds] {
            let a = try store.readSync { db in try db.pledges(campaignID: campaign).first { $0.consumerID == "a" }! }
            _ = try store.writeSync { db in try db.payBalance(pledgeID: a.id, at: paidAt) }
        }
        // Not yet due: nothing defaults.
        clock.now = t0.adding(days: 2).adding(seconds: -1)
        #expect(await scheduler.defaultOverduePledges() == 0)
        clock.now = t0.adding(days: 2)
        #expect(await scheduler.defaultOverduePledges() == 2)
        #expect(await scheduler.defaultOverduePledges() == 0)

        let (statuses, balances, held, commission) = try store.readSync { db in
            (try [forfeits, refunds].flatMap { try db.pledges(campaignID: $0) }.map { "\($0.campaignID)\($0.consumerID) \($0.status.rawValue)" }.sorted(),
             try db.ledgerBalances(), try db.depositsHeld()["CNY"] ?? 0, try db.commissionEarned(leaderCode: "wang")["CNY"] ?? 0)
        }
        #expect(statuses == ["\(forfeits)a paid", "\(forfeits)b defaulted", "\(refunds)a paid", "\(refunds)b defaulted"])
        #expect(balances.isBalanced && balances.escrowHeld(currency: "CNY") == held && held == 0)
        // The forfeiting campaign keeps b's 2 × 2.00; the refunding one gives it back.
        #expect(-balances.balance(.forfeits, currency: "CNY") == 400)
        // 10% of 2 × 10.00 on each paid pledge remains; the defaulted ones' commission is reversed.
        #expect(commission == 2 * 200)
    }
}
