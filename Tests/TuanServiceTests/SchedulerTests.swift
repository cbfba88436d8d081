import Foundation
import Synchronization
import Testing
import TuanApp
import TuanDomain
@testable import TuanSQLite
import TuanStore
@testable import TuanService
import TuanTesting

/// One item that cannot be applied never stops the others: it is logged, counted and retried
/// after a back-off. Before, the first error ended the round, so every campaign due after a
/// failing one stayed open past its deadline.
@Suite struct SchedulerTests {
    let t0 = Timestamp(seconds: 1_800_000_000)

    @Test func aCampaignThatCannotCloseDoesNotBlockTheOnesAfterIt() async throws {
        let database = try TestDatabase()
        let seed = Seed(database.app, at: t0)
        try seed.product(sku: "p", unitCost: 400, casePack: 1, minimumOrderQuantity: 0)
        let stuck = try seed.campaign(sku: "p", existingProduct: true, threshold: 1, cap: nil, deposit: 0, price: 500, closesIn: 60).id
        try seed.pledge(stuck, "c", 1, at: t0.adding(seconds: 1))
        let later = try seed.campaign(sku: "p", existingProduct: true, threshold: 1, cap: nil, deposit: 0, price: 500, closesIn: 120).id
        // Its close owes the supplier 400 more than the cost-of-goods balance can hold.
        try database.store.writeSync { db in
            try db.executeRaw("INSERT INTO account_balances VALUES ('CNY', 'cost_of_goods', \(Int64.max - 100)), ('CNY', 'supplier_payables', \(-(Int64.max - 100)))")
        }
        let clock = TestClock(t0.adding(seconds: 200))
        let logged = Mutex<[String]>([])
        let scheduler = CampaignScheduler(app: database.app, clock: { clock.now }, log: { line in logged.withLock { $0.append(line) } },
                                          retryAfter: .seconds(60))
        #expect(await scheduler.closeDueCampaigns() == 1)
        // Its close was decided and its pledges settled, each step its own transaction; the
        // conclusion is what cannot be written, so it stays `closing` until a retry succeeds.
        #expect(try database.app.campaign(id: stuck).runBlocking().status == .closing)
        #expect(try database.app.campaign(id: later).runBlocking().status == .failed)
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

    /// Two campaigns closing at t0 + 1 h, balance due at t0 + 2 days: one forfeits deposits on
    /// default, one refunds them; consumers "a" and "b" pledge through leader wang in each.
    func twoCampaigns(_ database: TestDatabase) throws -> (forfeits: Int64, refunds: Int64) {
        let seed = Seed(database.app, at: t0)
        try seed.product(sku: "p", unitCost: 100, casePack: 1, minimumOrderQuantity: 0)
        try seed.leader("wang", commissionBasisPoints: 1_000)
        var ids: [Int64] = []
        for forfeit in [true, false] {
            let id = try seed.campaign(sku: "p", existingProduct: true, threshold: 1, cap: nil, deposit: 200, price: 1_000, closesIn: 3_600,
                                       balanceDueIn: 2 * 86_400 - 3_600, forfeitDepositOnDefault: forfeit).id
            for consumer in ["a", "b"] { try seed.pledge(id, consumer, 2, leaderCode: "wang") }
            ids.append(id)
        }
        return (ids[0], ids[1])
    }

    @Test func unpaidPledgesDefaultAtTheirDueTimeByTheCampaignsRule() async throws {
        let database = try TestDatabase()
        let app = database.app, t0 = self.t0
        let (forfeits, refunds) = try twoCampaigns(database)
        let clock = TestClock(t0.adding(seconds: 3_601))
        let scheduler = CampaignScheduler(app: app, clock: { clock.now }, log: { _ in })
        await scheduler.runDueWork()
        // "a" pays in both campaigns; "b" does not.
        for campaign in [forfeits, refunds] {
            let a = try app.pledges(campaignID: campaign).runBlocking().first { $0.consumerID == "a" }!
            _ = try app.payBalance(pledgeID: a.id, at: t0.adding(days: 1)).runBlocking()
        }
        // Not yet due: nothing defaults.
        clock.now = t0.adding(days: 2).adding(seconds: -1)
        #expect(await scheduler.defaultOverduePledges() == 0)
        clock.now = t0.adding(days: 2)
        #expect(await scheduler.defaultOverduePledges() == 2)
        #expect(await scheduler.defaultOverduePledges() == 0)

        let (statuses, audit, commission) = try app.snapshotBlocking { db in
            (try [forfeits, refunds].flatMap { try db.pledges(campaignID: $0) }.map { "\($0.campaignID)\($0.consumerID) \($0.status.rawValue)" }.sorted(),
             try db.ledgerBalances(), try db.commissionEarned(leaderCode: "wang")["CNY"] ?? 0)
        }
        let held = try app.ledgerAudit().runBlocking().depositsHeld["CNY"] ?? 0
        #expect(statuses == ["\(forfeits)a paid", "\(forfeits)b defaulted", "\(refunds)a paid", "\(refunds)b defaulted"])
        #expect(audit.isBalanced && audit.escrowHeld(currency: "CNY") == held && held == 0)
        // The forfeiting campaign keeps b's 2 × 2.00; the refunding one gives it back.
        #expect(-audit.balance(.forfeits, currency: "CNY") == 400)
        // 10% of 2 × 10.00 on each paid pledge remains; the defaulted ones' commission is reversed.
        #expect(commission == 2 * 200)
    }

    /// The scheduler sleeps until the next deadline: the campaigns' close first, then (once
    /// they have closed with confirmed pledges) their balance reminders and deadline; nothing
    /// when all is done.
    @Test func theSchedulerSleepsUntilTheNextDeadline() async throws {
        let database = try TestDatabase()
        let app = database.app, t0 = self.t0
        let (forfeits, refunds) = try twoCampaigns(database)
        #expect(try app.nextDeadline().runBlocking() == t0.adding(seconds: 3_600))
        let clock = TestClock(t0.adding(seconds: 600))
        let scheduler = CampaignScheduler(app: app, clock: { clock.now }, interval: .seconds(1), maximumSleep: .seconds(3_600), log: { _ in })
        #expect(await scheduler.sleepUntilNextDeadline() == .seconds(3_001))
        clock.now = t0.adding(seconds: 3_600)
        await scheduler.runDueWork()
        #expect(try app.campaign(id: forfeits).runBlocking().status == .succeeded)
        // The balance reminders a day before the balance deadline come first.
        #expect(try app.nextDeadline().runBlocking() == t0.adding(days: 1))
        // Past a deadline that is still due (an item backing off), it waits the short interval, not zero.
        clock.now = t0.adding(days: 3)
        #expect(await scheduler.sleepUntilNextDeadline() == .seconds(1))
        await scheduler.runDueWork()
        #expect(try app.pledges(campaignID: refunds, status: .defaulted).runBlocking().count == 2)
        #expect(try app.nextDeadline().runBlocking() == nil)
        #expect(await scheduler.sleepUntilNextDeadline() == .seconds(3_600))
    }

    /// A write that brings a deadline nearer wakes the sleeping scheduler at once: the wait
    /// ends long before its hour is up. (While the whole suite starts on two cores, every task
    /// can wait 15 s for a thread, so the margin is minutes, not seconds.)
    @Test func aWakeUpEndsTheSleepEarly() async {
        let signal = WakeUpSignal()
        let started = ContinuousClock.now
        Task { try? await Task.sleep(for: .milliseconds(50)); signal.signal() }
        await signal.wait(for: .seconds(3_600))
        #expect(ContinuousClock.now - started < .seconds(600))
    }
}
