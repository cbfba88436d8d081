import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanTesting

/// A consumer's own pledges (`GET /v1/consumers/{consumer}/pledges`) and the per-consumer
/// limit (`max_per_consumer`), one behaviour each, through the router in process.
@Suite struct ConsumerRouteSpecs {
    func campaign(_ api: InProcessAPI, maxPerConsumer: Int? = nil, cap: Int = 50) async throws -> Int64 {
        try await api.catalog()
        let limit = maxPerConsumer.map { #","max_per_consumer":\#($0)"# } ?? ""
        return try await api.create("/v1/campaigns", """
            {"sku":"tea","title":"Tea","closes_at":"2099-01-01T00:00:00Z","threshold":5,"cap":\(cap),"deposit_per_unit_minor":100,
             "tiers":[{"min_quantity":1,"unit_price_minor":1000}]\(limit)}
            """)
    }

    func pledge(_ api: InProcessAPI, _ campaign: Int64, _ consumer: String, _ quantity: Int) async -> InProcessAPI.Reply {
        await api.pledge(campaign, #"{"consumer_id":"\#(consumer)","quantity":\#(quantity)}"#)
    }

    @Test func aConsumerSeesWhatTheyPaidOweAndGotBack() async throws {
        let api = try InProcessAPI(now: Timestamp(rfc3339: "2026-12-02T12:00:00Z")!)
        let seed = Seed(api.app, at: api.now.adding(seconds: -60))
        let succeeds = try seed.campaign(sku: "tea")
        let fails = try seed.campaign(sku: "rice", threshold: 40)
        let confirmed = try seed.pledge(succeeds.id, "alice", 3).pledge.id
        try seed.pledge(succeeds.id, "bob", 9)
        let refunded = try seed.pledge(fails.id, "alice", 2).pledge.id
        for id in [succeeds.id, fails.id] { _ = await api.call("POST", "/v1/campaigns/\(id)/close", token: api.admin) }

        var view = await api.call("GET", "/v1/consumers/alice/pledges", token: api.storefront)
        var rows = try #require(view.json?["pledges"]?.arrayValue)
        #expect(rows.map { $0["id"]?.intValue } == [refunded, confirmed])
        #expect(rows[0]["status"] == "refunded" && rows[0]["paid_minor"] == 200 && rows[0]["refunded_minor"] == 200 && rows[0]["owed_minor"] == 0)
        #expect(rows[1]["status"] == "confirmed" && rows[1]["paid_minor"] == 300 && rows[1]["owed_minor"] == 2700 && rows[1]["payment"] == .null)

        _ = await api.call("POST", "/v1/pledges/\(confirmed)/payments", token: api.storefront, body: #"{"amount_minor":2700,"reference":"wx-1"}"#,
                           headers: [("Idempotency-Key", "p1")])
        view = await api.call("GET", "/v1/consumers/alice/pledges?limit=1", token: api.admin)
        rows = try #require(view.json?["pledges"]?.arrayValue)
        #expect(rows.count == 1 && rows[0]["id"]?.intValue == refunded)
        view = await api.call("GET", "/v1/consumers/alice/pledges", token: api.admin)
        let paid = try #require(view.json?["pledges"]?.arrayValue?.last)
        #expect(paid["paid_minor"] == 3000 && paid["owed_minor"] == 0 && paid["payment"]?["reference"] == "wx-1")
        #expect(await api.call("GET", "/v1/consumers/nobody/pledges", token: api.admin).json?["pledges"]?.arrayValue?.isEmpty == true)
        try api.expectLedgerConsistent()
    }

    @Test func onlyStorefrontsAndAdminsSeeAConsumersPledges() async throws {
        let api = try InProcessAPI()
        try await api.catalog()
        let supplier = try api.token(for: Principal(role: .supplier, supplierID: 1))
        #expect(await api.call("GET", "/v1/consumers/alice/pledges").status == 401)
        #expect(await api.call("GET", "/v1/consumers/alice/pledges", token: api.planner).status == 403)
        #expect(await api.call("GET", "/v1/consumers/alice/pledges", token: supplier).status == 403)
        #expect(await api.call("GET", "/v1/consumers/alice/pledges", token: api.storefront).status == 200)
    }

    @Test func theListIsBoundedAndTheIdChecked() async throws {
        let api = try InProcessAPI()
        for limit in ["0", "501", "x", "-1"] {
            #expect(await api.call("GET", "/v1/consumers/alice/pledges?limit=\(limit)", token: api.admin).status == 422)
        }
        #expect(await api.call("GET", "/v1/consumers/alice/pledges?limit=500", token: api.admin).status == 200)
        #expect(await api.call("GET", "/v1/consumers/\(String(repeating: "a", count: 129))/pledges", token: api.admin).status == 422)
        #expect(await api.call("GET", "/v1/consumers/\(String(repeating: "a", count: 128))/pledges", token: api.admin).status == 200)
        // Percent-encoded ids (a phone number with a space, a Chinese name) are decoded.
        let id = try await campaign(api)
        #expect(await pledge(api, id, "王 小明", 1).status == 201)
        let named = await api.call("GET", "/v1/consumers/%E7%8E%8B%20%E5%B0%8F%E6%98%8E/pledges", token: api.admin)
        #expect(named.json?["pledges"]?.arrayValue?.count == 1)
    }

    @Test func aConsumerCannotHoldMoreThanTheLimitAcrossPledges() async throws {
        let api = try InProcessAPI(), id = try await campaign(api, maxPerConsumer: 5)
        #expect(await pledge(api, id, "alice", 3).status == 201)
        let over = await pledge(api, id, "alice", 3)
        #expect(over.status == 409 && over.json?["error"]?["code"] == "consumer_limit")
        #expect(await pledge(api, id, "alice", 2).status == 201)
        #expect(await pledge(api, id, "alice", 1).json?["error"]?["code"] == "consumer_limit")
        #expect(await pledge(api, id, "bob", 5).status == 201)
        // A cancelled pledge no longer counts.
        let first = try #require(try api.app.pledges(campaignID: id).runBlocking().first { $0.consumerID == "alice" })
        #expect(await api.call("POST", "/v1/pledges/\(first.id)/cancel", token: api.storefront).status == 200)
        #expect(await pledge(api, id, "alice", 3).status == 201)
        #expect(try api.app.campaign(id: id).runBlocking().pledgedQuantity == 10)
    }

    @Test func theLimitIsPositiveAndWithinTheCap() async throws {
        let api = try InProcessAPI()
        try await api.catalog()
        for (limit, cap) in [(0, 50), (-1, 50), (51, 50), (100_000_001, 100_000_000)] {
            let refused = await api.call("POST", "/v1/campaigns", token: api.admin, body: """
                {"sku":"tea","title":"Tea","closes_at":"2099-01-01T00:00:00Z","threshold":5,"cap":\(cap),"tiers":[{"min_quantity":1,"unit_price_minor":1000}],"max_per_consumer":\(limit)}
                """)
            #expect(refused.status == 422 && refused.text.contains("max_per_consumer"), "\(limit): \(refused.text)")
        }
        let atCap = await api.call("POST", "/v1/campaigns", token: api.admin, body: """
            {"sku":"tea","title":"Tea","closes_at":"2099-01-01T00:00:00Z","threshold":5,"cap":50,"tiers":[{"min_quantity":1,"unit_price_minor":1000}],"max_per_consumer":50}
            """)
        #expect(atCap.status == 201 && atCap.json?["max_per_consumer"] == 50)
    }
}

/// The limit under real concurrency: many connections pledging for one consumer at once.
@Suite struct ConsumerLimitRaceTests {
    @Test func manyClientsForOneConsumerNeverPassTheLimit() async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        _ = await s.call("POST", "/v1/suppliers", token: s.admin, body: #"{"name":"Farm"}"#)
        _ = await s.call("POST", "/v1/products", token: s.admin, body: #"{"sku":"tea","supplier_id":1,"name":"Tea","unit_cost_minor":400}"#)
        let created = await s.call("POST", "/v1/campaigns", token: s.admin, body: """
            {"sku":"tea","title":"Tea","closes_at":"2099-01-01T00:00:00Z","threshold":5,"cap":1000,"tiers":[{"min_quantity":1,"unit_price_minor":1000}],"max_per_consumer":7}
            """)
        let id = try #require(created.json?["id"]?.intValue)
        let statuses = await withTaskGroup(of: Int.self) { group in
            for n in 0..<48 {
                group.addTask {
                    await s.call("POST", "/v1/campaigns/\(id)/pledges", token: s.storefront, body: #"{"consumer_id":"scalper","quantity":\#(1 + n % 2)}"#,
                                 headers: ["Idempotency-Key": "race-\(n)"]).status
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(Set(statuses).isSubset(of: [201, 409]) && statuses.contains(409))
        let held = try s.app.pledges(campaignID: id).runBlocking().filter { $0.consumerID == "scalper" }.map(\.quantity).reduce(0, +)
        #expect(held <= 7 && held >= 6, "held \(held)")
        #expect(try s.app.campaign(id: id).runBlocking().pledgedQuantity == held)
    }
}
