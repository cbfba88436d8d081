import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanForecast
@testable import TuanSQLite
@testable import TuanStore
@testable import TuanService
import TuanTesting

/// Planner scale (issue 24): every SKU's plan and every live campaign's projection computed in
/// one pass are exactly the per-SKU and per-campaign answers, on a simulated history with
/// campaigns of items, subscriptions, orders and stock.
@Suite struct PlanEquivalenceTests {
    static let now = Timestamp(rfc3339: "2026-11-22T12:00:00Z")!

    static func history() throws -> TestDatabase {
        let database = try TestDatabase()
        var parameters = SyntheticMarket.Parameters(now: now.seconds)
        parameters.seed = 11
        parameters.skus = 14
        parameters.weeks = 12
        parameters.styles = 1
        var loader = SimulationLoader(app: database.app, market: SyntheticMarket(parameters), now: now.seconds)
        loader.orderCycle = .daily(minuteOfDay: 23 * 60 + 30, utcOffsetMinutes: 480)
        _ = try loader.load { _, _, _ in }
        // Standing orders of two SKUs, one of them cut off already.
        let products = try database.app.products().runBlocking()
        for (index, product) in products.prefix(2).enumerated() {
            let request = try SubscriptionRequest(consumerID: "sub-\(index)", sku: product.sku, quantity: 3, start: nil, periods: nil,
                                                  unitPrice: Money(minor: 900, currency: .cny), deposit: Money(minor: 0, currency: .cny),
                                                  at: now.adding(days: -21))
            let outcome = try database.app.subscribe(request, scope: "test", idempotencyKey: "sub-\(index)", at: now.adding(days: -21)).runBlocking()
            if index == 0 {
                let week = outcome.subscription.firstWeek
                _ = try database.app.cutOffWeek(week, at: week.adding(days: -2)).runBlocking()
            }
        }
        return database
    }

    @Test func everySKUsPlanFromOnePassIsItsOwnPlan() throws {
        let database = try Self.history()
        let app = database.app, grid = app.subscriptionPolicy.weeks, now = Self.now.seconds
        let models = ForecastModels()
        let all = try app.snapshotBlocking { db in try SKUForecast.makeAll(weeks: 12, at: now, models: models, subscriptionWeeks: grid, in: db) }
        let products = try app.products().runBlocking()
        #expect(all.count == products.count && all.map(\.product.sku) == products.map(\.sku).sorted())
        var compared = 0, withOpen = 0, withOrders = 0
        for plan in all {
            let one = try app.snapshotBlocking { db in
                try SKUForecast.make(sku: plan.product.sku, weeks: 12, at: now, models: ForecastModels(), subscriptionWeeks: grid, in: db)
            }
            #expect(plan.json.serialized == one.json.serialized, "\(plan.product.sku)")
            #expect(plan.plan.weeks.map(\.firm) == one.plan.weeks.map(\.firm) && plan.plan.weeks.map(\.projected) == one.plan.weeks.map(\.projected))
            #expect(plan.bullwhip.demand == one.bullwhip.demand && plan.bullwhip.orders == one.bullwhip.orders)
            compared += 1
            if !plan.openCampaigns.isEmpty { withOpen += 1 }
            if plan.bullwhip.orders.contains(where: { $0 > 0 }) { withOrders += 1 }
        }
        // The history exercises what the plans read: live campaigns, orders sent.
        #expect(compared == products.count && withOpen > 0 && withOrders > 0, "\(withOpen) \(withOrders)")
        #expect(all.contains { $0.subscriptionUnits.contains { $0 > 0 } }, "subscriptions are among the plans")
        // A page, and a category, are the same plans.
        let page = try app.snapshotBlocking { db in
            try SKUForecast.makeAll(after: all[2].product.sku, limit: 3, weeks: 12, at: now, models: models, subscriptionWeeks: grid, in: db)
        }
        #expect(page.map(\.product.sku) == all[3..<6].map(\.product.sku))
        let category = all[0].product.category
        let ofCategory = try app.snapshotBlocking { db in
            try SKUForecast.makeAll(category: category, weeks: 12, at: now, models: models, subscriptionWeeks: grid, in: db)
        }
        #expect(ofCategory.map(\.json.serialized) == all.filter { $0.product.category == category }.map(\.json.serialized))
    }

    @Test func everyLiveCampaignsProjectionFromOnePassIsItsOwn() throws {
        let database = try Self.history()
        let app = database.app, now = Self.now.seconds, models = ForecastModels()
        let all = try app.snapshotBlocking { db in try CampaignForecast.makeAll(at: now, models: models, in: db) }
        #expect(!all.isEmpty && all.allSatisfy { !$0.record.status.isFinal })
        #expect(all.contains { $0.items != nil }, "a campaign of items is among them")
        for forecast in all {
            let one = try app.snapshotBlocking { db in try CampaignForecast.make(campaignID: forecast.record.id, at: now, models: ForecastModels(), in: db) }
            #expect(forecast.json.serialized == one.json.serialized, "campaign \(forecast.record.id)")
        }
    }
}

/// Fitted models are kept until what they learned from changes (issue 24): asking again fits
/// nothing; a balance paid on a finished campaign of the category refits it, and only it.
@Suite struct ForecastModelCacheTests {
    @Test func modelsAreKeptUntilTheirHistoryChanges() throws {
        let database = try PlanEquivalenceTests.history()
        let app = database.app, models = ForecastModels()
        let categories = Set(try app.products().runBlocking().map(\.category)).sorted()
        let first = try app.snapshotBlocking { try models.models(for: categories, in: $0) }
        let again = try app.snapshotBlocking { try models.models(for: categories, in: $0) }
        for category in categories { #expect(first[category]!.fittedAt == again[category]!.fittedAt, "\(category) kept") }
        // A confirmed pledge of a succeeded campaign pays its balance.
        let (pledgeID, category) = try app.snapshotBlocking { db -> (Int64, String) in
            for campaign in try db.campaigns(status: .succeeded, sku: nil, limit: 1_000, afterID: nil) {
                if let pledge = try db.pledges(campaignID: campaign.id, status: .confirmed).first {
                    return (pledge.id, try db.requireProduct(sku: campaign.sku).category)
                }
            }
            throw DomainError(.notFound, "no confirmed pledge of a succeeded campaign")
        }
        _ = try app.payBalance(pledgeID: pledgeID, at: PlanEquivalenceTests.now).runBlocking()
        let after = try app.snapshotBlocking { try models.models(for: categories, in: $0) }
        for other in categories {
            #expect((after[other]!.fittedAt == first[other]!.fittedAt) == (other != category), "\(other): refitted only if it changed")
        }
    }
}

/// The plans' trailing history is kept between reads (issue 24): after each kind of change a
/// finished campaign can see (a balance paid, a close, a product's lead time edited, the window
/// moving on), the kept history is exactly what a fresh read gives.
@Suite struct PlanHistoryCacheTests {
    static func expectSame(_ cache: PlanHistoryCache, since: Int64, _ app: TuanApplication, _ step: String) throws {
        let (kept, fresh) = try app.snapshotBlocking { db in (try cache.histories(since: since, in: db), try db.planHistories(since: since)) }
        #expect(kept.keys.sorted() == fresh.keys.sorted(), "\(step): the same SKUs")
        for (sku, records) in fresh { #expect(kept[sku] == records, "\(step): \(sku)") }
        #expect(fresh.values.joined().contains { $0.status.isFinal } && fresh.values.joined().contains { !$0.status.isFinal }, "\(step)")
    }

    @Test func theKeptHistoryIsAFreshReadAfterEveryChange() throws {
        let database = try PlanEquivalenceTests.history()
        let app = database.app, now = PlanEquivalenceTests.now, cache = PlanHistoryCache()
        let since = SKUForecast.historyStart(at: now.seconds)
        try Self.expectSame(cache, since: since, app, "first read")
        try Self.expectSame(cache, since: since, app, "kept")
        // A balance paid after a close.
        let pledgeID = try app.snapshotBlocking { db -> Int64 in
            for campaign in try db.campaigns(status: .succeeded, sku: nil, limit: 1_000, afterID: nil) {
                if let pledge = try db.pledges(campaignID: campaign.id, status: .confirmed).first { return pledge.id }
            }
            throw DomainError(.notFound, "no confirmed pledge of a succeeded campaign")
        }
        func version() throws -> Int64 { try app.snapshotBlocking { try $0.finishedHistoryVersion() } }
        let before = try version()
        _ = try app.payBalance(pledgeID: pledgeID, at: now).runBlocking()
        #expect(try version() == before + 1, "a finished campaign's pledge paid moves the version")
        try Self.expectSame(cache, since: since, app, "balance paid")
        // A live campaign closed: finished now, and read with its pledges.
        let live = try app.liveCampaigns(limit: 100).runBlocking().first { !$0.sellsItems && $0.styleMinimum == nil }!
        let open = try version()
        _ = try app.closeCampaign(id: live.id, reason: .closed, at: now).runBlocking()
        #expect(try version() > open, "a close moves the version")
        try Self.expectSame(cache, since: since, app, "closed")
        // A pledge placed into a live campaign does not (its history is read every time).
        let pledging = try version()
        let other = try app.liveCampaigns(limit: 100).runBlocking().first { !$0.sellsItems && $0.styleMinimum == nil && $0.cap == nil }!
        _ = try app.placePledge(campaignID: other.id, request: try PledgeRequest(consumerID: "planner-test", quantity: 2, idempotencyKey: "pt"),
                                scope: "test", at: now).runBlocking()
        #expect(try version() == pledging)
        try Self.expectSame(cache, since: since, app, "pledged into a live campaign")
        // A product's lead time, which dates the deliveries of its campaigns without a date.
        try database.store.writeSync { db in
            try db.executeRaw("UPDATE campaigns SET delivery_at = NULL WHERE sku = '\(live.sku)'")
            try db.executeRaw("UPDATE products SET lead_days = 3 WHERE sku = '\(live.sku)'")
        }
        try Self.expectSame(cache, since: since, app, "lead time edited")
        // The window moves on a week: the oldest campaigns leave it.
        try Self.expectSame(cache, since: since + Week.seconds, app, "a week later")
    }
}

/// A live campaign's projection is as of the minute and kept for it (issue 24): asked again
/// in the minute it is the same; a pledge placed in the minute counts at once; the next minute
/// makes a new one; and every answer is the one a fresh model gives.
@Suite struct ProjectionCacheTests {
    @Test func projectionsAreKeptForTheMinuteAndNoLonger() throws {
        let database = try PlanEquivalenceTests.history()
        let app = database.app, models = ForecastModels()
        let now = PlanEquivalenceTests.now.seconds + 7  // not on a minute
        func projection(_ id: Int64, at instant: Int64, _ models: ForecastModels) throws -> CampaignForecast {
            try app.snapshotBlocking { db in try CampaignForecast.make(campaignID: id, at: instant, models: models, in: db) }
        }
        let live = try app.liveCampaigns(limit: 100).runBlocking().first { !$0.sellsItems && $0.styleMinimum == nil && $0.cap == nil }!
        let first = try projection(live.id, at: now, models)
        #expect(first.projection.elapsed == CampaignForecast.elapsed(of: first.record, at: now - 7), "as of the minute")
        let again = try projection(live.id, at: now + 30, models)
        #expect(again.projection == first.projection, "the same minute: the kept one")
        // A pledge in the minute is committed at once.
        _ = try app.placePledge(campaignID: live.id, request: try PledgeRequest(consumerID: "late", quantity: 5, idempotencyKey: "late"),
                                scope: "test", at: Timestamp(seconds: now + 40)).runBlocking()
        let pledged = try projection(live.id, at: now + 45, models)
        #expect(pledged.projection.committed == first.projection.committed + 5)
        #expect(pledged.projection.elapsed == first.projection.elapsed)
        // The next minute: a new projection.
        let next = try projection(live.id, at: now + 60, models)
        #expect(next.projection.elapsed > pledged.projection.elapsed)
        // A clock behind the campaign's last pledge, in the same minute, counts fewer of them.
        let behind = try projection(live.id, at: now + 20, models)
        #expect(behind.projection.committed == first.projection.committed)
        // Each is what a model with nothing kept gives.
        for (instant, kept) in [(now + 20, behind), (now + 45, pledged), (now + 60, next)] {
            #expect(try projection(live.id, at: instant, ForecastModels()).json.serialized == kept.json.serialized, "at \(instant)")
        }
    }
}
