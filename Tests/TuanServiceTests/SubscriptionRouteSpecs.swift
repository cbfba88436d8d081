import Foundation
import Testing
import TuanDomain

/// Subscriptions (standing pre-orders): starting, replaying, skipping, cancelling within
/// notice, pausing, and the weekly cut-offs that turn them into orders, one behaviour each,
/// through the router in process. Weeks start on Mondays; "now" is Wednesday 2 December 2026.
@Suite struct SubscriptionRouteSpecs {
    static let wednesday = Timestamp(rfc3339: "2026-12-02T12:00:00Z")!
    static let week0 = Timestamp(rfc3339: "2026-12-07T00:00:00Z")!
    static func week(_ n: Int64) -> Timestamp { week0.adding(seconds: n * Week.seconds) }
    /// Ann's box: two teas a week for three weeks, 15.00 down.
    static let box = #"{"consumer_id":"ann","sku":"tea","quantity":2,"periods":3,"unit_price_minor":1500,"deposit_minor":1500}"#
    static let bo = #"{"consumer_id":"bo","sku":"tea","quantity":1,"unit_price_minor":1600,"pickup_point":"Gate A","deposit_minor":800}"#
    static let cy = #"{"consumer_id":"cy","sku":"rice","quantity":4,"cadence_weeks":2,"unit_price_minor":500}"#

    func service() async throws -> InProcessAPI {
        let api = try InProcessAPI(now: Self.wednesday)
        try await api.catalog()
        return api
    }

    func subscribe(_ api: InProcessAPI, _ body: String, key: String? = UUID().uuidString) async -> InProcessAPI.Reply {
        await api.call("POST", "/v1/subscriptions", token: api.storefront, body: body, headers: key.map { [("Idempotency-Key", $0)] } ?? [])
    }

    func subscribed(_ api: InProcessAPI, _ body: String) async throws -> Int64 {
        let reply = await subscribe(api, body)
        return try #require(reply.json?["id"]?.intValue, "\(reply.status) \(reply.text)")
    }

    /// Runs the due work just after week `n`'s cut-off, twice: the second run must find nothing to do.
    func cutOff(_ api: InProcessAPI, week n: Int64) async {
        api.clock.now = SubscriptionPolicy.standard.cutOff(ofWeek: Self.week(n)).adding(seconds: 60)
        await api.scheduler.runDueWork()
        await api.scheduler.runDueWork()
    }

    @Test func aSubscriptionStartsAtTheNextOpenWeekAndListsItsDeliveries() async throws {
        let api = try await service()
        let started = await subscribe(api, Self.box, key: "sub-1")
        #expect(started.status == 201 && started.json?["first_week"] == "2026-12-07T00:00:00Z")
        #expect(started.json?["upcoming_weeks"]?.arrayValue?.count == 3)
    }

    @Test func aRetryWithTheSameKeyReplaysAndNoKeyIsRefused() async throws {
        let api = try await service()
        _ = await subscribe(api, Self.box, key: "sub-1")
        #expect(await subscribe(api, Self.box, key: "sub-1").headers["idempotent-replayed"] == "true")
        #expect(await subscribe(api, Self.box, key: nil).status == 400)
    }

    @Test func anUnsupportedCadenceOrUnknownProductIsRefused() async throws {
        let api = try await service()
        #expect(await subscribe(api, #"{"consumer_id":"x","sku":"tea","quantity":1,"unit_price_minor":1,"cadence_weeks":9}"#).status == 422)
        #expect(await subscribe(api, #"{"consumer_id":"x","sku":"nope","quantity":1,"unit_price_minor":1}"#).status == 404)
    }

    @Test func aStartWeekPastItsCutOffIsRefused() async throws {
        let api = try await service()
        let tooSoon = await subscribe(api, #"{"consumer_id":"x","sku":"tea","quantity":1,"unit_price_minor":1,"start":"2026-11-30T00:00:00Z"}"#)
        #expect(tooSoon.status == 409 && tooSoon.json?["error"]?["code"] == "cut_off_passed")
    }

    @Test func aSkippedWeekMovesTheLastDeliveryOnAndOnlyWeekStartsCanBeSkipped() async throws {
        let api = try await service()
        let ann = try await subscribed(api, Self.box)
        let skipped = await api.call("POST", "/v1/subscriptions/\(ann)/skip", token: api.storefront, body: #"{"week":"2026-12-14T00:00:00Z"}"#)
        #expect(skipped.status == 200
                && skipped.json?["upcoming_weeks"] == [.string(Self.week(0).rfc3339), .string(Self.week(2).rfc3339), .string(Self.week(3).rfc3339)])
        #expect(await api.call("POST", "/v1/subscriptions/\(ann)/skip", token: api.storefront, body: #"{"week":"2026-12-15T00:00:00Z"}"#).status == 422)
    }

    @Test func subscriptionsAreFirmDemandInThePlan() async throws {
        let api = try await service()
        let ann = try await subscribed(api, Self.box)
        _ = await api.call("POST", "/v1/subscriptions/\(ann)/skip", token: api.storefront, body: #"{"week":"2026-12-14T00:00:00Z"}"#)
        _ = try await subscribed(api, Self.bo)
        let plan = await api.call("GET", "/v1/forecasts/skus/tea?weeks=5", token: api.planner)
        let planned = plan.json?["weeks"]?.arrayValue?.map { $0["subscription_units"]?.doubleValue ?? -1 } ?? []
        #expect(planned == [0, 3, 1, 3, 3], "this week, then weeks 0-3: \(plan.text)")
    }

    @Test func aWeekPastItsCutOffCanNoLongerBeSkipped() async throws {
        let api = try await service()
        let bo = try await subscribed(api, Self.bo)
        await cutOff(api, week: 0)
        let late = await api.call("POST", "/v1/subscriptions/\(bo)/skip", token: api.storefront, body: #"{"week":"2026-12-07T00:00:00Z"}"#)
        #expect(late.status == 409 && late.json?["error"]?["code"] == "cut_off_passed")
    }

    @Test func aCancelKeepsTheWeeksInsideTheNoticeAndOnlyOnce() async throws {
        let api = try await service()
        let bo = try await subscribed(api, Self.bo)
        await cutOff(api, week: 0)
        // Bo cancels on Saturday: weeks 0 and 1 fall inside the notice and still come.
        let cancelled = await api.call("POST", "/v1/subscriptions/\(bo)/cancel", token: api.storefront)
        #expect(cancelled.json?["status"] == "cancelled" && cancelled.json?["last_week"] == .string(Self.week(1).rfc3339))
        #expect(await api.call("POST", "/v1/subscriptions/\(bo)/cancel", token: api.storefront).status == 409)
    }

    @Test func aPauseStartsAtTheFirstWeekStillOpen() async throws {
        let api = try await service()
        let cy = try await subscribed(api, Self.cy)
        await cutOff(api, week: 0)
        let paused = await api.call("POST", "/v1/subscriptions/\(cy)/pause", token: api.storefront, body: #"{"until":"2026-12-28T00:00:00Z"}"#)
        #expect(paused.json?["status"] == "paused" && paused.json?["paused_from"] == .string(Self.week(1).rfc3339))
    }

    /// Ann (skips week 1), Bo (cancels after week 0's cut-off) and Cy (rice every other week,
    /// paused over week 2) through five cut-offs.
    func fiveWeeks() async throws -> (InProcessAPI, ann: Int64, bo: Int64) {
        let api = try await service()
        let ann = try await subscribed(api, Self.box), bo = try await subscribed(api, Self.bo), cy = try await subscribed(api, Self.cy)
        _ = await api.call("POST", "/v1/subscriptions/\(ann)/skip", token: api.storefront, body: #"{"week":"2026-12-14T00:00:00Z"}"#)
        for n in Int64(0)..<5 {
            await cutOff(api, week: n)
            if n == 0 {
                _ = await api.call("POST", "/v1/subscriptions/\(bo)/cancel", token: api.storefront)
                _ = await api.call("POST", "/v1/subscriptions/\(cy)/pause", token: api.storefront, body: #"{"until":"2026-12-28T00:00:00Z"}"#)
            }
        }
        return (api, ann, bo)
    }

    @Test func subscriptionsTellOfEachChangeAndCutOff() async throws {
        let api = try await service()
        let id = try await subscribed(api, Self.box)
        let skipped = await api.call("POST", "/v1/subscriptions/\(id)/skip", token: api.storefront, body: #"{"week":"2026-12-14T00:00:00Z"}"#)
        #expect(skipped.status == 200)
        await cutOff(api, week: 0)
        let events = await api.call("GET", "/v1/events?types=subscription.*,purchase_order.created", token: api.storefront).json?["events"]?.arrayValue ?? []
        #expect(events.compactMap { $0["type"]?.stringValue } == ["subscription.created", "subscription.changed", "purchase_order.created",
                                                                   "subscription.cut_off"])
        #expect(events[1]["data"]?["skipped_weeks"]?.arrayValue?.count == 1)
        #expect(events[3]["data"]?["delivered_count"] == 1 && events[3]["campaign_id"] == .null)
    }

    @Test func eachCutOffMakesOneOrderPerSupplierAndWeekRoundedToCases() async throws {
        let (api, _, _) = try await fiveWeeks()
        let (orders, deliveries) = try api.app.purchaseOrders().runBlocking()
        let lines = orders.sorted { ($0.subscriptionWeek?.seconds ?? 0) < ($1.subscriptionWeek?.seconds ?? 0) }.flatMap { order in
            order.lines.sorted { $0.sku < $1.sku }.map {
                "\(order.subscriptionWeek?.rfc3339 ?? "-") \($0.sku) units=\($0.confirmedQuantity) ordered=\($0.orderQuantity)"
            }
        }
        #expect(lines == [
            "2026-12-07T00:00:00Z rice units=4 ordered=4",
            "2026-12-07T00:00:00Z tea units=3 ordered=6",
            "2026-12-14T00:00:00Z tea units=1 ordered=6",
            "2026-12-21T00:00:00Z tea units=2 ordered=6",
            "2026-12-28T00:00:00Z tea units=2 ordered=6",
            // Rice comes every other week; week 2 fell in Cy's pause, so the next is week 4.
            "2027-01-04T00:00:00Z rice units=4 ordered=4",
        ])
        #expect(orders.count == 5 && deliveries.count == 5)  // one order per supplier and week with deliveries, each with its message
    }

    @Test func finishedSubscriptionsEndAndReturnTheirDeposits() async throws {
        let (api, ann, bo) = try await fiveWeeks()
        let annReply = await api.call("GET", "/v1/subscriptions/\(ann)", token: api.planner)
        #expect(annReply.json?["status"] == "ended" && annReply.json?["delivered_count"] == 3 && annReply.json?["deliveries"]?.arrayValue?.count == 3)
        #expect(await api.call("GET", "/v1/subscriptions/\(bo)", token: api.planner).json?["status"] == "ended")
        #expect(await api.call("GET", "/v1/subscriptions?status=ended", token: api.planner).json?["subscriptions"]?.arrayValue?.count == 2)
        try api.expectLedgerConsistent()
        #expect(try api.app.ledgerBalances().runBlocking().escrowHeld(currency: "CNY") == 0)
    }
}
