import Foundation
import Testing
import TuanApp
import TuanDomain
@testable import TuanService
import TuanTesting

/// Subscription weeks on the deployment's local Mondays: cut off in Asia/Shanghai, and moved
/// from UTC to Asia/Shanghai without a week delivered twice or skipped.
@Suite struct SubscriptionWeekZoneTests {
    static let wednesday = Timestamp(rfc3339: "2026-12-02T12:00:00Z")!

    func seed(_ app: TuanApplication) throws {
        let supplier = try app.createSupplier(name: "Farm", endpointURL: nil, webhookSecret: "whsec_test", at: Self.wednesday).runBlocking()
        _ = try app.createProduct(try Product(sku: "tea", supplierID: supplier.id, name: "Tea", casePack: 1, minimumOrderQuantity: 0,
                                              unitCost: Money(minor: 400, currency: .cny), capacity: nil), at: Self.wednesday).runBlocking()
    }

    func subscribe(_ app: TuanApplication, at now: Timestamp) throws -> Subscription {
        let request = try SubscriptionRequest(consumerID: "ann", sku: "tea", quantity: 2, cadenceWeeks: 1, start: nil, periods: nil,
                                              unitPrice: Money(minor: 1500, currency: .cny), deposit: .zero(.cny), leaderCode: nil,
                                              pickupPoint: nil, policy: app.subscriptionPolicy, at: now)
        return try app.subscribe(request, scope: "test", idempotencyKey: UUID().uuidString, at: now).runBlocking().subscription
    }

    /// Runs the scheduler's due work at `now`; returns the weeks of the subscription orders made.
    func cutOff(_ app: TuanApplication, at now: Timestamp) async -> [Timestamp] {
        let scheduler = CampaignScheduler(app: app, clock: { now }, log: { _ in })
        await scheduler.runDueWork()
        return (try? app.snapshotBlocking { db in try db.purchaseOrders(PurchaseOrderFilter(limit: 50)) }.compactMap(\.subscriptionWeek).sorted()) ?? []
    }

    @Test func aWeekCutOffInShanghaiLandsOnTheLocalMonday() async throws {
        let database = try TestDatabase()
        let weeks = try WeekGrids.adopt("Asia/Shanghai", in: database.engine)
        let app = TuanApplication(engine: database.engine, subscriptionPolicy: SubscriptionPolicy.standard.on(weeks))
        try seed(app)
        let subscription = try subscribe(app, at: Self.wednesday)
        // Monday 7 December 00:00 in Shanghai.
        let monday = try #require(Timestamp(rfc3339: "2026-12-06T16:00:00Z"))
        #expect(subscription.firstWeek == monday)
        // Cut off 48 hours before: Saturday 00:00 local, Friday 16:00 UTC; not a minute sooner.
        #expect(await cutOff(app, at: Timestamp(rfc3339: "2026-12-04T15:59:00Z")!).isEmpty)
        #expect(await cutOff(app, at: Timestamp(rfc3339: "2026-12-04T16:00:00Z")!) == [monday])
        let order = try #require(try app.snapshotBlocking { db in try db.purchaseOrders(PurchaseOrderFilter(limit: 5)) }.first)
        #expect(order.requestedDeliveryAt == monday && order.lines.first?.confirmedQuantity == 2)
        #expect(try app.weekTimeZone().runBlocking() == "Asia/Shanghai")
    }

    @Test func movingTheWeeksToShanghaiKeepsEveryDateOnce() async throws {
        let database = try TestDatabase()
        let utc = TuanApplication(engine: database.engine, subscriptionPolicy: SubscriptionPolicy.standard.on(try WeekGrids.adopt("UTC", in: database.engine)))
        try seed(utc)
        let subscription = try subscribe(utc, at: Self.wednesday)
        #expect(subscription.firstWeek == Timestamp(rfc3339: "2026-12-07T00:00:00Z"))
        #expect(await cutOff(utc, at: Timestamp(rfc3339: "2026-12-05T00:00:00Z")!) == [Timestamp(rfc3339: "2026-12-07T00:00:00Z")!])
        // The deployment moves to Shanghai: a server started so keeps the stored UTC weeks…
        #expect(try WeekGrids.adopt("Asia/Shanghai", in: database.engine).identifier == "UTC")
        // …until they are moved, dates kept.
        let shanghai = try #require(WeekGrids.grid(named: "Asia/Shanghai"))
        #expect(try utc.moveSubscriptionWeeks(from: .utc, to: shanghai).runBlocking() >= 4)
        #expect(throws: DomainError.self) { try utc.moveSubscriptionWeeks(from: .utc, to: shanghai).runBlocking() }
        let app = TuanApplication(engine: database.engine, subscriptionPolicy: SubscriptionPolicy.standard.on(try WeekGrids.stored(in: database.engine)))
        #expect(app.subscriptionPolicy.weeks.identifier == "Asia/Shanghai")
        let moved = try app.snapshotBlocking { db in try db.requireSubscription(id: subscription.id) }
        #expect(moved.firstWeek == Timestamp(rfc3339: "2026-12-06T16:00:00Z") && moved.cutOffThrough == moved.firstWeek)
        // The week of 7 December is not due again; the next is the 14th, cut off Saturday 00:00 local.
        #expect(try app.subscriptionWeeksDue(at: Timestamp(rfc3339: "2026-12-11T15:59:00Z")!).runBlocking().isEmpty)
        let orders = await cutOff(app, at: Timestamp(rfc3339: "2026-12-11T16:00:00Z")!)
        #expect(orders == [Timestamp(rfc3339: "2026-12-06T16:00:00Z")!, Timestamp(rfc3339: "2026-12-13T16:00:00Z")!])
        let delivered = try app.snapshotBlocking { db in try db.deliveries(subscriptionID: subscription.id) }.map(\.week)
        #expect(delivered == [Timestamp(rfc3339: "2026-12-06T16:00:00Z")!, Timestamp(rfc3339: "2026-12-13T16:00:00Z")!])
    }
}
