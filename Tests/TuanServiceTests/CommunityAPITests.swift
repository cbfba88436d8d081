import Foundation
import Testing
import TuanTesting
import TuanDomain
@testable import TuanSQLite
import TuanStore
@testable import TuanService

/// Leaders, team buys and subscriptions over real HTTP and a real SQLite file.
@Suite struct CommunityAPITests {
    func seedCatalog(_ s: LiveService) async {
        _ = await s.call("POST", "/v1/suppliers", token: s.admin, body: #"{"name":"Farm"}"#)
        _ = await s.call("POST", "/v1/products", token: s.admin, body: #"{"sku":"tea","supplier_id":1,"name":"Tea","unit_cost_minor":400,"case_pack":6}"#)
        _ = await s.call("POST", "/v1/products", token: s.admin, body: #"{"sku":"rice","supplier_id":1,"name":"Rice","unit_cost_minor":300}"#)
    }

    func pledge(_ s: LiveService, _ campaign: Int64, _ body: String, key: String = UUID().uuidString) async -> LiveService.Reply {
        await s.call("POST", "/v1/campaigns/\(campaign)/pledges", token: s.storefront, body: body, headers: ["Idempotency-Key": key])
    }

    /// The ledger balances, its running balances match the postings, and escrow holds exactly
    /// the deposits that pledges and running subscriptions say it holds.
    func expectLedgerConsistent(_ s: LiveService, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (running, audited, held) = try s.store.readSync { db in
            (try db.ledgerBalances(), try db.ledgerBalancesFromPostings(), try db.depositsHeld())
        }
        #expect(running.isBalanced, sourceLocation: sourceLocation)
        #expect(running.balances == audited.balances, sourceLocation: sourceLocation)
        #expect(running.escrowHeld(currency: "CNY") == (held["CNY"] ?? 0), sourceLocation: sourceLocation)
    }

    @Test func leadersEarnCommissionAndPickListsAddUpToTheOrder() async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        await seedCatalog(s)
        let ann = await s.call("POST", "/v1/leaders", token: s.admin, body: #"{"code":"ann","name":"Ann","pickup_point":"Block 3 lobby","commission_bps":500}"#)
        #expect(ann.status == 201 && ann.json?["member_limit"] == 500)
        let bo = await s.call("POST", "/v1/leaders", token: s.admin,
                              body: #"{"code":"bo","name":"Bo","pickup_point":"Bo's shop","commission_bps":1000,"member_limit":2}"#)
        #expect(bo.status == 201)
        let again = await s.call("POST", "/v1/leaders", token: s.admin, body: #"{"code":"ann","name":"A","pickup_point":"P","commission_bps":1}"#)
        #expect(again.status == 409)
        let badRate = await s.call("POST", "/v1/leaders", token: s.admin, body: #"{"code":"cy","name":"C","pickup_point":"P","commission_bps":9000}"#)
        #expect(badRate.status == 422 && badRate.json?["error"]?["message"]?.stringValue?.hasPrefix("commission_bps") == true)
        #expect(await s.call("POST", "/v1/leaders", token: s.storefront, body: "{}").status == 403)

        let created = await s.call("POST", "/v1/campaigns", token: s.admin, body: """
            {"sku":"tea","title":"Tea","closes_at":"2099-01-01T00:00:00Z","threshold":5,"max_per_pledge":5,
             "tiers":[{"min_quantity":1,"unit_price_minor":1000}],"deposit_per_unit_minor":100}
            """)
        guard case .int(let campaign)? = created.json?["id"] else { Issue.record("no campaign"); return }
        let first = await pledge(s, campaign, #"{"consumer_id":"a1","quantity":2,"leader_code":"ann"}"#)
        #expect(first.status == 201 && first.json?["pickup_point"] == "Block 3 lobby")  // the leader's point by default
        _ = await pledge(s, campaign, #"{"consumer_id":"a2","quantity":1,"leader_code":"ann","pickup_point":"Gate B"}"#)
        for (i, quantity) in [3, 1, 2].enumerated() {
            #expect(await pledge(s, campaign, #"{"consumer_id":"b\#(i)","quantity":\#(quantity),"leader_code":"bo"}"#).status == 201)
        }
        _ = await pledge(s, campaign, #"{"consumer_id":"direct","quantity":4}"#)
        let unknown = await pledge(s, campaign, #"{"consumer_id":"x","quantity":1,"leader_code":"nobody"}"#)
        #expect(unknown.status == 422 && unknown.json?["error"]?["code"] == "invalid_field")

        // Bo's group holds 2 people; 3 pledged. The list flags it and keeps every pledge.
        let boList = await s.call("GET", "/v1/leaders/2/pick-list?campaign=\(campaign)", token: s.storefront)
        #expect(boList.json?["exceeds_member_limit"] == true && boList.json?["entries"]?.arrayValue?.count == 3)
        #expect(await s.call("GET", "/v1/leaders/2/pick-list", token: s.storefront).status == 422)
        #expect(await s.call("GET", "/v1/leaders/9/pick-list?campaign=\(campaign)", token: s.storefront).status == 404)

        let closed = await s.call("POST", "/v1/campaigns/\(campaign)/close", token: s.admin)
        #expect(closed.json?["campaign"]?["status"] == "succeeded")
        let orderID = closed.json?["purchase_order"]?["id"]?.intValue ?? 0
        let order = await s.call("GET", "/v1/purchase-orders/\(orderID)", token: s.planner)
        let destinations = order.json?["lines"]?[0]?["destinations"]?.arrayValue ?? []
        var byLeader: [String: Int64] = [:]
        for destination in destinations {
            byLeader[destination["leader_code"]?.stringValue ?? "", default: 0] += destination["quantity"]?.intValue ?? 0
        }
        #expect(byLeader.values.reduce(0, +) == order.json?["lines"]?[0]?["confirmed_quantity"]?.intValue)
        for (id, code, units) in [(1, "ann", Int64(3)), (2, "bo", Int64(6))] {
            let list = await s.call("GET", "/v1/leaders/\(id)/pick-list?campaign=\(campaign)", token: s.planner)
            let entries = list.json?["entries"]?.arrayValue ?? []
            let sum = entries.reduce(Int64(0)) { $0 + ($1["quantity"]?.intValue ?? 0) }
            #expect(sum == units && list.json?["total_quantity"]?.intValue == units)
            #expect(byLeader[code] == sum, "pick list of \(code) matches the order's destinations")
        }
        let csv = await s.call("GET", "/v1/leaders/1/pick-list.csv?campaign=\(campaign)", token: s.planner)
        #expect(csv.status == 200 && csv.text.hasPrefix("consumer_id,quantity,pickup_point") && csv.text.contains("a2,1,Gate B"))

        // 5% of 3 × 10.00 for Ann; 10% of 6 × 10.00 for Bo.
        #expect(await s.call("GET", "/v1/leaders/1", token: s.planner).json?["commission_earned_minor"]?["CNY"] == 150)
        #expect(await s.call("GET", "/v1/leaders/2", token: s.planner).json?["commission_earned_minor"]?["CNY"] == 600)
        try expectLedgerConsistent(s)

        // One of Bo's consumers defaults: Bo's commission on it (10% of 3 × 10.00) is reversed.
        let pledges = try s.store.readSync { db in try db.pledges(campaignID: campaign) }
        let b0 = pledges.first { $0.consumerID == "b0" }!
        let due = try s.store.readSync { db in try db.requireCampaign(id: campaign) }.balanceDueAt
        _ = try s.app.defaultPledge(id: b0.id, at: due).runBlocking()
        #expect(await s.call("GET", "/v1/leaders/2", token: s.planner).json?["commission_earned_minor"]?["CNY"] == 300)
        try expectLedgerConsistent(s)
    }

    @Test func teamsFillOrExpireAndAggregateIntoOneOrder() async throws {
        let t0 = Timestamp(rfc3339: "2026-12-01T08:00:00Z")!
        let clock = TestClock(t0)
        let s = try LiveService(delivery: nil, clock: { clock.now })
        defer { s.stop() }
        await seedCatalog(s)
        let created = await s.call("POST", "/v1/campaigns", token: s.admin, body: """
            {"sku":"tea","title":"Team tea","closes_at":"2026-12-08T08:00:00Z","threshold":2,
             "tiers":[{"min_quantity":1,"unit_price_minor":1000}],"deposit_per_unit_minor":100,
             "team":{"size":2,"window_seconds":3600,"unit_price_minor":700}}
            """)
        #expect(created.json?["team"]?["size"] == 2)
        guard case .int(let campaign)? = created.json?["id"] else { Issue.record("no campaign: \(created.text)"); return }

        let opened = await pledge(s, campaign, #"{"consumer_id":"alice","quantity":1,"open_team":true}"#)
        guard let code = opened.json?["team"]?["code"]?.stringValue else { Issue.record("no team: \(opened.text)"); return }
        #expect(opened.json?["team"]?["spots_left"] == 1 && opened.json?["team"]?["share_path"] == .string("/c/\(campaign)?team=\(code)"))
        #expect(await s.call("GET", "/v1/teams/\(code)").json?["status"] == "forming")
        let joined = await pledge(s, campaign, #"{"consumer_id":"bob","quantity":1,"team_code":"\#(code)"}"#)
        #expect(joined.status == 201 && joined.json?["team"]?["status"] == "filled")
        let full = await pledge(s, campaign, #"{"consumer_id":"carol","quantity":1,"team_code":"\#(code)"}"#)
        #expect(full.status == 409 && full.json?["error"]?["code"] == "team_closed")
        let both = await pledge(s, campaign, #"{"consumer_id":"carol","quantity":1,"team_code":"\#(code)","open_team":true}"#)
        #expect(both.status == 422)
        #expect(await pledge(s, campaign, #"{"consumer_id":"carol","quantity":1,"team_code":"TNOPE"}"#).status == 404)

        let lonely = await pledge(s, campaign, #"{"consumer_id":"dave","quantity":1,"open_team":true}"#)
        let lonelyCode = lonely.json?["team"]?["code"]?.stringValue ?? ""
        #expect(await s.call("GET", "/v1/campaigns/\(campaign)").json?["pledged_quantity"] == 3)
        clock.now = t0.adding(seconds: 3_601)
        await s.service.scheduler.runDueWork()
        #expect(await s.call("GET", "/v1/teams/\(lonelyCode)").json?["status"] == "expired")
        #expect(await s.call("GET", "/v1/pledges/\(lonely.json?["id"]?.intValue ?? 0)", token: s.planner).json?["status"] == "refunded")
        #expect(await s.call("GET", "/v1/campaigns/\(campaign)").json?["pledged_quantity"] == 2)
        let late = await pledge(s, campaign, #"{"consumer_id":"erin","quantity":1,"team_code":"\#(lonelyCode)"}"#)
        #expect(late.status == 409 && late.json?["error"]?["code"] == "team_closed")
        _ = await pledge(s, campaign, #"{"consumer_id":"solo","quantity":1}"#)
        try expectLedgerConsistent(s)

        let closed = await s.call("POST", "/v1/campaigns/\(campaign)/close", token: s.admin)
        #expect(closed.json?["campaign"]?["status"] == "succeeded" && closed.json?["pledges_confirmed"] == 3)
        let orders = await s.call("GET", "/v1/purchase-orders", token: s.planner)
        #expect(orders.json?["purchase_orders"]?.arrayValue?.count == 1)
        #expect(orders.json?["purchase_orders"]?[0]?["lines"]?[0]?["confirmed_quantity"] == 3)
        // Team members pay the team price, the solo buyer the tier price.
        let paid = try s.app.pledges(campaignID: campaign, status: .confirmed).runBlocking()
            .map { try s.app.payBalance(pledgeID: $0.id, at: clock.now).runBlocking() }
        #expect(paid.count == 3)
        #expect(try s.store.readSync { try $0.ledgerBalances() }.balance(.sales, currency: "CNY") == -(700 + 700 + 1000))
        try expectLedgerConsistent(s)
    }

    @Test func subscriptionsAreCutOffOncePerPeriodAndCountAsFirmDemand() async throws {
        let wednesday = Timestamp(rfc3339: "2026-12-02T12:00:00Z")!
        let policy = SubscriptionPolicy.standard
        let week0 = Timestamp(rfc3339: "2026-12-07T00:00:00Z")!
        func week(_ n: Int64) -> Timestamp { week0.adding(seconds: n * Week.seconds) }
        let clock = TestClock(wednesday)
        let s = try LiveService(delivery: nil, clock: { clock.now })
        defer { s.stop() }
        await seedCatalog(s)
        func subscribe(_ body: String, key: String = UUID().uuidString) async -> LiveService.Reply {
            await s.call("POST", "/v1/subscriptions", token: s.storefront, body: body, headers: ["Idempotency-Key": key])
        }
        let box = #"{"consumer_id":"ann","sku":"tea","quantity":2,"periods":3,"unit_price_minor":1500,"deposit_minor":1500}"#
        let s1 = await subscribe(box, key: "sub-1")
        #expect(s1.status == 201 && s1.json?["first_week"] == "2026-12-07T00:00:00Z")
        #expect(s1.json?["upcoming_weeks"]?.arrayValue?.count == 3)
        #expect(await subscribe(box, key: "sub-1").headers["idempotent-replayed"] == "true")
        #expect(await s.call("POST", "/v1/subscriptions", token: s.storefront, body: box).status == 400)
        #expect(await subscribe(#"{"consumer_id":"x","sku":"tea","quantity":1,"unit_price_minor":1,"cadence_weeks":9}"#).status == 422)
        #expect(await subscribe(#"{"consumer_id":"x","sku":"nope","quantity":1,"unit_price_minor":1}"#).status == 404)
        let tooSoon = await subscribe(#"{"consumer_id":"x","sku":"tea","quantity":1,"unit_price_minor":1,"start":"2026-11-30T00:00:00Z"}"#)
        #expect(tooSoon.status == 409 && tooSoon.json?["error"]?["code"] == "cut_off_passed")
        let s2 = await subscribe(#"{"consumer_id":"bo","sku":"tea","quantity":1,"unit_price_minor":1600,"pickup_point":"Gate A","deposit_minor":800}"#)
        let s3 = await subscribe(#"{"consumer_id":"cy","sku":"rice","quantity":4,"cadence_weeks":2,"unit_price_minor":500}"#)
        let (id1, id2, id3) = (s1.json?["id"]?.intValue ?? 0, s2.json?["id"]?.intValue ?? 0, s3.json?["id"]?.intValue ?? 0)

        // Ann skips week 1: her three boxes come in weeks 0, 2 and 3.
        let skipped = await s.call("POST", "/v1/subscriptions/\(id1)/skip", token: s.storefront, body: #"{"week":"2026-12-14T00:00:00Z"}"#)
        #expect(skipped.status == 200 && skipped.json?["upcoming_weeks"] == [.string(week(0).rfc3339), .string(week(2).rfc3339), .string(week(3).rfc3339)])
        #expect(await s.call("POST", "/v1/subscriptions/\(id1)/skip", token: s.storefront, body: #"{"week":"2026-12-15T00:00:00Z"}"#).status == 422)

        // Planner: subscriptions are firm demand for the coming weeks.
        let plan = await s.call("GET", "/v1/forecasts/skus/tea?weeks=5", token: s.planner)
        let planned = plan.json?["weeks"]?.arrayValue?.map { $0["subscription_units"]?.doubleValue ?? -1 } ?? []
        #expect(planned == [0, 3, 1, 3, 3], "this week, then weeks 0-3: \(plan.text)")

        // Week by week through five cut-offs, running the due work twice each time.
        for n in Int64(0)..<5 {
            clock.now = policy.cutOff(ofWeek: week(n)).adding(seconds: 60)
            await s.service.scheduler.runDueWork()
            await s.service.scheduler.runDueWork()
            if n == 0 {
                let late = await s.call("POST", "/v1/subscriptions/\(id2)/skip", token: s.storefront, body: #"{"week":"2026-12-07T00:00:00Z"}"#)
                #expect(late.status == 409 && late.json?["error"]?["code"] == "cut_off_passed")
                // Bo cancels on Saturday: weeks 0 and 1 fall inside the notice and still come.
                let cancelled = await s.call("POST", "/v1/subscriptions/\(id2)/cancel", token: s.storefront)
                #expect(cancelled.json?["status"] == "cancelled" && cancelled.json?["last_week"] == .string(week(1).rfc3339))
                #expect(await s.call("POST", "/v1/subscriptions/\(id2)/cancel", token: s.storefront).status == 409)
                let paused = await s.call("POST", "/v1/subscriptions/\(id3)/pause", token: s.storefront, body: #"{"until":"2026-12-28T00:00:00Z"}"#)
                #expect(paused.json?["status"] == "paused" && paused.json?["paused_from"] == .string(week(1).rfc3339))
            }
        }
        let lines = try s.store.readSync { db in
            try db.connection.query("""
                SELECT o.subscription_week, l.sku, COUNT(*), SUM(l.confirmed_quantity), SUM(l.order_quantity)
                FROM purchase_orders o JOIN purchase_order_lines l ON l.purchase_order_id = o.id
                GROUP BY o.subscription_week, l.sku ORDER BY o.subscription_week, l.sku
                """) { row in "\(Timestamp(seconds: row.int(0)).rfc3339) \(row.string(1)) lines=\(row.int(2)) units=\(row.int(3)) ordered=\(row.int(4))" }
        }
        #expect(lines == [
            "2026-12-07T00:00:00Z rice lines=1 units=4 ordered=4",
            "2026-12-07T00:00:00Z tea lines=1 units=3 ordered=6",
            "2026-12-14T00:00:00Z tea lines=1 units=1 ordered=6",
            "2026-12-21T00:00:00Z tea lines=1 units=2 ordered=6",
            "2026-12-28T00:00:00Z tea lines=1 units=2 ordered=6",
            // Rice comes every other week; week 2 fell in Cy's pause, so the next is week 4.
            "2027-01-04T00:00:00Z rice lines=1 units=4 ordered=4",
        ])
        let orderCount = try s.store.readSync { try $0.connection.scalarInt("SELECT COUNT(*) FROM outbox") }
        #expect(orderCount == 5)  // one order per supplier and week with deliveries, each with its message
        let ann = await s.call("GET", "/v1/subscriptions/\(id1)", token: s.planner)
        #expect(ann.json?["status"] == "ended" && ann.json?["delivered_count"] == 3 && ann.json?["deliveries"]?.arrayValue?.count == 3)
        #expect(await s.call("GET", "/v1/subscriptions/\(id2)", token: s.planner).json?["status"] == "ended")
        #expect(await s.call("GET", "/v1/subscriptions?status=ended", token: s.planner).json?["subscriptions"]?.arrayValue?.count == 2)
        // Both ended subscriptions returned their deposits; nothing is held any more.
        try expectLedgerConsistent(s)
        #expect(try s.store.readSync { try $0.ledgerBalances() }.escrowHeld(currency: "CNY") == 0)
    }
}
