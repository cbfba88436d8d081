import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanTesting

/// Baskets (`POST /v1/baskets`): pledges in several campaigns at once, all or nothing or
/// partial, idempotent, one event. One behaviour each, through the router in process.
@Suite struct BasketRouteSpecs {
    /// Three open campaigns of their own products: caps 50, 50 and 3, the last with 1 unit left.
    func campaigns(_ api: InProcessAPI) throws -> [Int64] {
        let seed = Seed(api.app, at: api.now.adding(seconds: -60))
        let ids = [try seed.campaign(sku: "tea").id, try seed.campaign(sku: "rice").id, try seed.campaign(sku: "oil", threshold: 1, cap: 3).id]
        try seed.pledge(ids[2], "zed", 2)
        return ids
    }

    func basket(_ api: InProcessAPI, _ lines: [(Int64, Int)], partial: Bool = false, consumer: String = "ann",
                key: String? = UUID().uuidString, token: String? = nil) async -> InProcessAPI.Reply {
        let items = lines.map { #"{"campaign_id":\#($0.0),"quantity":\#($0.1)}"# }.joined(separator: ",")
        return await api.call("POST", "/v1/baskets", token: token ?? api.storefront, body: """
            {"consumer_id":"\(consumer)","pickup_point":"Gate 3","deposit_payment_ref":"wx-basket-1","partial":\(partial),"lines":[\(items)]}
            """, headers: key.map { [("Idempotency-Key", $0)] } ?? [])
    }

    @Test func aBasketPlacesAPledgeInEachCampaignWithOneDepositPayment() async throws {
        let api = try InProcessAPI(), ids = try campaigns(api)
        let placed = await basket(api, [(ids[0], 2), (ids[1], 1), (ids[2], 1)])
        #expect(placed.status == 201, "\(placed.text)")
        let lines = placed.json?["lines"]?.arrayValue ?? []
        #expect(lines.count == 3 && lines.allSatisfy { $0["status"] == "placed" && $0["pledge"]?["deposit_payment_ref"] == "wx-basket-1" })
        #expect(lines.compactMap { $0["pledge"]?["campaign_id"]?.intValue } == ids)
        #expect(placed.json?["deposits"]?[0]?["amount_minor"] == .int(4 * 100))
        for (line, id) in zip(lines, ids) {
            let pledge = try #require(line["pledge"]?["id"]?.intValue)
            #expect(await api.call("GET", "/v1/pledges/\(pledge)", token: api.storefront).json?["campaign_id"] == .int(id))
        }
        let basketID = try #require(placed.json?["id"]?.intValue)
        #expect(placed.headers["location"] == "/v1/baskets/\(basketID)")
        #expect(await api.call("GET", "/v1/baskets/\(basketID)", token: api.storefront).json == placed.json)
        #expect(try api.app.campaign(id: ids[2]).runBlocking().pledgedQuantity == 3)
        try api.expectLedgerConsistent()
    }

    @Test func allOrNothingRefusesTheBasketNamingTheLineAndPlacesNothing() async throws {
        let api = try InProcessAPI(), ids = try campaigns(api)
        let refused = await basket(api, [(ids[0], 2), (ids[2], 2), (ids[1], 1)])
        #expect(refused.status == 409 && refused.json?["error"]?["code"] == "sold_out", "\(refused.status) \(refused.text)")
        #expect(refused.json?["error"]?["message"]?.stringValue?.hasPrefix("lines[1]") == true)
        #expect(try ids.map { try api.app.campaign(id: $0).runBlocking().pledgedQuantity } == [0, 0, 2])
        let unknown = await basket(api, [(ids[0], 1), (999, 1)])
        #expect(unknown.status == 404 && unknown.json?["error"]?["message"]?.stringValue?.hasPrefix("lines[1]") == true)
        _ = try api.app.closeCampaign(id: ids[1], reason: .closed, at: api.now).runBlocking()
        let closed = await basket(api, [(ids[1], 1)])
        #expect(closed.status == 409 && closed.json?["error"]?["code"] == "campaign_closed")
        #expect(try api.app.campaign(id: ids[0]).runBlocking().pledgedQuantity == 0)
        try api.expectLedgerConsistent()
    }

    @Test func aPartialBasketPlacesWhatFitsAndReportsTheRest() async throws {
        let api = try InProcessAPI(), ids = try campaigns(api)
        let placed = await basket(api, [(ids[0], 2), (ids[2], 2), (ids[1], 1)], partial: true)
        #expect(placed.status == 201 && placed.json?["placed_count"] == 2 && placed.json?["refused_count"] == 1)
        let refused = placed.json?["lines"]?[1]
        #expect(refused?["status"] == "refused" && refused?["error"]?["code"] == "sold_out" && refused?["error"]?["field"]?.stringValue?.hasPrefix("lines[1]") == true)
        #expect(try ids.map { try api.app.campaign(id: $0).runBlocking().pledgedQuantity } == [2, 1, 2])
        // Nothing fits: nothing was created, so the first refusal answers.
        let none = await basket(api, [(ids[2], 2)], partial: true)
        #expect(none.status == 409 && none.json?["error"]?["code"] == "sold_out")
        try api.expectLedgerConsistent()
    }

    @Test func aRetryAnswersTheSameBasketAndAnotherBasketUnderTheKeyIsRefused() async throws {
        let api = try InProcessAPI(), ids = try campaigns(api)
        let first = await basket(api, [(ids[0], 1), (ids[1], 1)], key: "cart-9")
        let again = await basket(api, [(ids[0], 1), (ids[1], 1)], key: "cart-9")
        #expect(again.status == 201 && again.headers["idempotent-replayed"] == "true" && again.text == first.text)
        #expect(try api.app.campaign(id: ids[0]).runBlocking().pledgedQuantity == 1)
        let other = await basket(api, [(ids[0], 2)], key: "cart-9")
        #expect(other.status == 409 && other.json?["error"]?["code"] == "idempotency_conflict")
        // A pledge placed directly under the same key is another thing altogether.
        let direct = await api.pledge(ids[0], #"{"consumer_id":"ann","quantity":1}"#, key: "cart-9#1")
        #expect(direct.status == 201 && direct.headers["idempotent-replayed"] == nil)
    }

    @Test func badBasketsAreRefusedWithTheField() async throws {
        let api = try InProcessAPI(), ids = try campaigns(api)
        for (body, field) in [(#"{"consumer_id":"a","lines":[]}"#, "lines"),
                              (#"{"consumer_id":"a"}"#, "lines"),
                              (#"{"consumer_id":"a","lines":[{"campaign_id":\#(ids[0]),"quantity":0}]}"#, "lines[0].quantity"),
                              (#"{"consumer_id":"a","lines":[{"campaign_id":\#(ids[0])}]}"#, "lines[0].quantity"),
                              (#"{"consumer_id":"a","lines":[{"campaign_id":\#(ids[0]),"quantity":1,"x":1}]}"#, "lines[0].x"),
                              (#"{"consumer_id":"a","lines":[{"campaign_id":\#(ids[0]),"quantity":1},{"campaign_id":\#(ids[0]),"quantity":1}]}"#, "lines[1].campaign_id"),
                              (#"{"consumer_id":"a","lines":[7]}"#, "lines[0]"),
                              (#"{"lines":[{"campaign_id":1,"quantity":1}]}"#, "consumer_id")] {
            let refused = await api.call("POST", "/v1/baskets", token: api.storefront, body: body, headers: [("Idempotency-Key", "k")])
            #expect(refused.status == 422 && refused.json?["error"]?["message"]?.stringValue?.hasPrefix(field) == true, "\(body): \(refused.text)")
        }
        let many = (0..<21).map { #"{"campaign_id":\#($0 + 1),"quantity":1}"# }.joined(separator: ",")
        #expect(await api.call("POST", "/v1/baskets", token: api.storefront, body: #"{"consumer_id":"a","lines":[\#(many)]}"#,
                               headers: [("Idempotency-Key", "k")]).status == 422)
        #expect(await basket(api, [(ids[0], 1)], key: nil).status == 400)
        #expect(await basket(api, [(ids[0], 1)], key: String(repeating: "k", count: 251)).status == 400)
        // At the documented bounds: a 250-character key is taken; a line past a pledge's largest quantity is not.
        let over = await basket(api, [(ids[0], Int(Bounds.pledgeQuantity) + 1)])
        #expect(over.status == 422 && over.json?["error"]?["message"]?.stringValue?.hasPrefix("lines[0].quantity") == true)
        #expect(await basket(api, [(ids[0], 1)], key: String(repeating: "k", count: 250)).status == 201)
        #expect(await basket(api, [(ids[0], 1)], token: api.planner).status == 403)
        #expect(try api.app.campaign(id: ids[0]).runBlocking().pledgedQuantity == 1)
    }

    @Test func oneBasketIsOneEvent() async throws {
        let api = try InProcessAPI(), ids = try campaigns(api)
        let placed = await basket(api, [(ids[0], 1), (ids[1], 1)])
        let events = await api.call("GET", "/v1/events?types=basket.created,pledge.created", token: api.storefront).json?["events"]?.arrayValue ?? []
        // zed's pledge placed directly, then the basket: its two pledges are told of in it alone.
        #expect(events.compactMap { $0["type"]?.stringValue } == ["pledge.created", "basket.created"])
        #expect(events.last?["data"] == placed.json && events.last?["campaign_id"] == .null)
    }
}

/// Baskets under real concurrency: many connections check out random baskets over three
/// capped campaigns at once. Caps hold, every all-or-nothing basket is whole or absent, each
/// partial one holds exactly the lines it reports, and units add up from lines to campaigns.
@Suite struct BasketRaceTests {
    @Test(arguments: [1, 2] as [UInt64])
    func concurrentBasketsNeverPassACapAndAreWholeOrAbsent(seed: UInt64) async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        _ = await s.call("POST", "/v1/suppliers", token: s.admin, body: #"{"name":"Farm"}"#)
        var ids: [Int64] = []
        for (n, cap) in [30, 45, 60].enumerated() {
            _ = await s.call("POST", "/v1/products", token: s.admin, body: #"{"sku":"p\#(n)","supplier_id":1,"name":"P","unit_cost_minor":100}"#)
            let created = await s.call("POST", "/v1/campaigns", token: s.admin, body: """
                {"sku":"p\(n)","title":"P","closes_at":"2099-01-01T00:00:00Z","threshold":1,"cap":\(cap),"deposit_per_unit_minor":50,
                 "tiers":[{"min_quantity":1,"unit_price_minor":300}]}
                """)
            ids.append(try #require(created.json?["id"]?.intValue))
        }
        var generator = SeededGenerator(seed: seed)
        let baskets: [(consumer: String, partial: Bool, lines: [(Int64, Int64)])] = (0..<64).map { n in
            let chosen = ids.filter { _ in generator.next() % 2 == 0 }
            let lines = (chosen.isEmpty ? [ids[Int(generator.next() % 3)]] : chosen).map { ($0, Int64(1 + generator.next() % 4)) }
            return ("c\(n)", generator.next() % 2 == 0, lines)
        }
        let answers = await withTaskGroup(of: (Int, Int, JSONValue?).self) { group in
            for (index, basket) in baskets.enumerated() {
                group.addTask {
                    let items = basket.lines.map { #"{"campaign_id":\#($0.0),"quantity":\#($0.1)}"# }.joined(separator: ",")
                    let reply = await s.call("POST", "/v1/baskets", token: s.storefront, body: """
                        {"consumer_id":"\(basket.consumer)","partial":\(basket.partial),"lines":[\(items)]}
                        """, headers: ["Idempotency-Key": "race-\(index)"])
                    return (index, reply.status, reply.json)
                }
            }
            return await group.reduce(into: [(Int, Int, JSONValue?)]()) { $0.append($1) }
        }
        #expect(answers.allSatisfy { [201, 409].contains($0.1) })
        #expect(answers.contains { $0.1 == 409 }, "the caps were never reached: the test proves nothing")
        var reported: [Int64: Int64] = [:]
        for (index, status, json) in answers {
            let basket = baskets[index]
            var held: [Int64: Int64] = [:]
            for id in ids {
                for pledge in try s.app.pledges(campaignID: id).runBlocking() where pledge.consumerID == basket.consumer {
                    held[id, default: 0] += pledge.quantity
                }
            }
            if status == 409 {
                #expect(held.isEmpty, "refused basket \(index) left pledges")
                continue
            }
            let lines = json?["lines"]?.arrayValue ?? []
            let placed = lines.filter { $0["status"] == "placed" }
            if !basket.partial { #expect(placed.count == basket.lines.count, "all-or-nothing basket \(index) is not whole") }
            for line in placed {
                let campaign = line["campaign_id"]!.intValue!, quantity = line["quantity"]!.intValue!
                #expect(held[campaign] == quantity, "basket \(index) campaign \(campaign)")
                reported[campaign, default: 0] += quantity
            }
            #expect(held.count == placed.count)
        }
        for (id, cap) in zip(ids, [30, 45, 60] as [Int64]) {
            let campaign = try s.app.campaign(id: id).runBlocking()
            #expect(campaign.pledgedQuantity <= cap && campaign.pledgedQuantity == reported[id, default: 0])
        }
        let audit = try s.app.ledgerAudit().runBlocking()
        #expect(audit.isConsistent)
    }
}
