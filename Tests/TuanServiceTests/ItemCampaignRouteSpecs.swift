import Foundation
import Testing
import TuanApp
import TuanDomain

/// Campaigns that sell several items (issue 22): a down jacket in 2 colours × 4 sizes with a
/// style minimum, pledges with lines, an order per SKU and a short answer refunding exactly
/// the lines it cannot fill. Through the router in process.
@Suite struct ItemCampaignRouteSpecs {
    static let sizes = ["S", "M", "L", "XL"]
    static let colours = ["navy", "red"]
    static func sku(_ colour: String, _ size: String) -> String { "dj-\(colour)-\(size.lowercased())" }

    /// The catalogue (one factory, 8 SKUs of style down-jacket, cases of 5) and an open campaign
    /// of every SKU: XL costs ¥20 more, navy S is capped at 10, the style minimum is `minimum`.
    func jacketCampaign(_ api: InProcessAPI, minimum: Int = 30, threshold: Int = 20, leader: Bool = false) async throws -> Int64 {
        _ = try await api.create("/v1/suppliers", #"{"name":"Factory"}"#)
        for colour in Self.colours {
            for size in Self.sizes {
                let created = await api.call("POST", "/v1/products", token: api.admin, body: """
                    {"sku":"\(Self.sku(colour, size))","supplier_id":1,"name":"Down jacket \(colour) \(size)","unit_cost_minor":30000,
                     "case_pack":5,"category":"outerwear","style":"down-jacket","attributes":{"colour":"\(colour)","size":"\(size)"}}
                    """)
                #expect(created.status == 201, "\(created.text)")
            }
        }
        if leader {
            _ = await api.call("POST", "/v1/leaders", token: api.admin, body: #"{"code":"wang","name":"Wang","pickup_point":"Gate 3","commission_bps":500}"#)
        }
        let items = Self.colours.flatMap { colour in Self.sizes.map { size in
            let delta = size == "XL" ? 2000 : 0
            let cap = colour == "navy" && size == "S" ? #","cap":10"# : ""
            return #"{"sku":"\#(Self.sku(colour, size))","price_delta_minor":\#(delta)\#(cap)}"#
        } }.joined(separator: ",")
        let opens = api.now.adding(seconds: -60).rfc3339, closes = api.now.adding(days: 3).rfc3339
        return try await api.create("/v1/campaigns", """
            {"title":"Winter down jacket","opens_at":"\(opens)","closes_at":"\(closes)","threshold":\(threshold),"cap":400,
             "style_minimum":\(minimum),"tiers":[{"min_quantity":1,"unit_price_minor":59900},{"min_quantity":30,"unit_price_minor":49900}],
             "deposit_per_unit_minor":10000,"items":[\(items)]}
            """)
    }

    func pledge(_ api: InProcessAPI, _ campaign: Int64, _ lines: [(String, Int)], consumer: String = "ann", extra: String = "") async -> InProcessAPI.Reply {
        let body = lines.map { #"{"sku":"\#($0.0)","quantity":\#($0.1)}"# }.joined(separator: ",")
        return await api.pledge(campaign, #"{"consumer_id":"\#(consumer)","lines":[\#(body)]\#(extra)}"#)
    }

    @Test func aCampaignOfItemsAnswersItsItemsAndCountsEveryUnitTowardsTheTiers() async throws {
        let api = try InProcessAPI()
        let id = try await jacketCampaign(api)
        let campaign = await api.call("GET", "/v1/campaigns/\(id)", token: api.storefront).json
        #expect(campaign?["sku"] == "dj-navy-s" && campaign?["items"]?.arrayValue?.count == 8 && campaign?["style_minimum"] == 30)
        #expect(campaign?["items"]?[3]?["unit_price_minor"] == .int(59900 + 2000) && campaign?["items"]?[0]?["remaining_quantity"] == 10)
        let placed = await pledge(api, id, [("dj-navy-m", 2), ("dj-red-xl", 1)])
        #expect(placed.status == 201, "\(placed.text)")
        #expect(placed.json?["quantity"] == 3 && placed.json?["deposit_minor"] == .int(30000) && placed.json?["price_delta_minor"] == .int(2000))
        #expect(placed.json?["lines"]?.arrayValue?.compactMap { $0["sku"]?.stringValue } == ["dj-navy-m", "dj-red-xl"])
        let after = await api.call("GET", "/v1/campaigns/\(id)", token: api.storefront).json
        #expect(after?["pledged_quantity"] == 3 && after?["items"]?[1]?["pledged_quantity"] == 2 && after?["items"]?[7]?["pledged_quantity"] == 1)
        #expect(after?["styles"]?[0]?["pledged_quantity"] == 3)
        try api.expectLedgerConsistent()
    }

    @Test func badLinesAreRefusedNamingTheLine() async throws {
        let api = try InProcessAPI()
        let id = try await jacketCampaign(api)
        for (body, status, field) in [
            (#"{"consumer_id":"a","quantity":2}"#, 422, "lines"),
            (#"{"consumer_id":"a","lines":[]}"#, 422, "lines"),
            (#"{"consumer_id":"a","lines":[{"sku":"tea","quantity":1}]}"#, 422, "lines[0].sku"),
            (#"{"consumer_id":"a","lines":[{"sku":"dj-navy-m","quantity":0}]}"#, 422, "lines[0].quantity"),
            (#"{"consumer_id":"a","lines":[{"sku":"dj-navy-m","quantity":1},{"sku":"dj-navy-m","quantity":1}]}"#, 422, "lines[1].sku"),
            (#"{"consumer_id":"a","lines":[{"sku":"dj-navy-m","quantity":1}],"quantity":2}"#, 422, "quantity"),
            (#"{"consumer_id":"a","lines":[{"sku":"dj-navy-m","quantity":1,"colour":"red"}]}"#, 422, "lines[0].colour"),
            (#"{"consumer_id":"a","lines":[{"sku":"dj-navy-s","quantity":11}]}"#, 409, "lines[0].quantity"),
        ] {
            let refused = await api.pledge(id, body)
            #expect(refused.status == status && refused.field == field, "\(body): \(refused.text)")
        }
        // An item sold out names it; the rest of the campaign stays open.
        #expect(await pledge(api, id, [("dj-navy-s", 10)]).status == 201)
        let soldOut = await pledge(api, id, [("dj-navy-m", 1), ("dj-navy-s", 1)], consumer: "bob")
        #expect(soldOut.status == 409 && soldOut.json?["error"]?["code"] == "sold_out" && soldOut.field == "lines[1].quantity")
        #expect(try api.app.campaign(id: id).runBlocking().pledgedQuantity == 10)
        let tooMany = (0..<65).map { #"{"sku":"s\#($0)","quantity":1}"# }.joined(separator: ",")
        #expect(await api.pledge(id, #"{"consumer_id":"a","lines":[\#(tooMany)]}"#).status == 422)
    }

    @Test func creatingACampaignOfItemsChecksEachItem() async throws {
        let api = try InProcessAPI()
        _ = try await jacketCampaign(api)
        _ = await api.call("POST", "/v1/suppliers", token: api.admin, body: #"{"name":"Other"}"#)
        _ = await api.call("POST", "/v1/products", token: api.admin, body: #"{"sku":"other","supplier_id":2,"name":"O","unit_cost_minor":1}"#)
        let closes = api.now.adding(days: 3).rfc3339
        func create(_ items: String, extra: String = "") async -> InProcessAPI.Reply {
            await api.call("POST", "/v1/campaigns", token: api.admin, body: """
                {"title":"T","closes_at":"\(closes)","threshold":5,"cap":50,"tiers":[{"min_quantity":1,"unit_price_minor":100}],"items":[\(items)]\(extra)}
                """)
        }
        for (items, extra, field) in [
            (#"{"sku":"nope"}"#, "", "items[0].sku"),
            (#"{"sku":"dj-navy-s"},{"sku":"dj-navy-s"}"#, "", "items[1].sku"),
            (#"{"sku":"dj-navy-s"},{"sku":"other"}"#, "", "items[1].sku"),
            (#"{"sku":"dj-navy-s","price_delta_minor":-1}"#, "", "items[0].price_delta_minor"),
            (#"{"sku":"dj-navy-s","price_delta_minor":1000000000}"#, "", "items[0].price_delta_minor"),
            (#"{"sku":"dj-navy-s","cap":51}"#, "", "items[0].cap"),
            (#"{"sku":"dj-navy-s"}"#, #","style_minimum":51"#, "style_minimum"),
            (#"{"sku":"dj-navy-s"}"#, #","sku":"dj-red-s""#, "sku"),
            (#"{"sku":"dj-navy-s"}"#, #","team":{"size":2,"window_seconds":60,"unit_price_minor":90}"#, "team"),
            ("", "", "items"),
        ] {
            let refused = await create(items, extra: extra)
            #expect([404, 422].contains(refused.status) && refused.field == field, "\(items) \(extra): \(refused.text)")
        }
    }

    @Test func theStyleMinimumDecidesWhetherTheCampaignTips() async throws {
        let api = try InProcessAPI()
        let id = try await jacketCampaign(api, minimum: 30, threshold: 20)
        #expect(await pledge(api, id, [("dj-navy-m", 10), ("dj-red-m", 10)]).status == 201)
        // Past the threshold, short of the style minimum: not tipped, and a close fails.
        #expect(try api.app.campaign(id: id).runBlocking().status == .open)
        #expect(await pledge(api, id, [("dj-red-l", 10)], consumer: "bob").status == 201)
        #expect(try api.app.campaign(id: id).runBlocking().status == .tipped)
        let cancelled = await api.call("GET", "/v1/consumers/bob/pledges", token: api.storefront)
        let bobs = try #require(cancelled.json?["pledges"]?[0]?["pledge"]?["id"]?.intValue ?? cancelled.json?["pledges"]?[0]?["id"]?.intValue)
        #expect(await api.call("POST", "/v1/pledges/\(bobs)/cancel", token: api.storefront).status == 200)
        let campaign = try api.app.campaign(id: id).runBlocking()
        #expect(campaign.status == .open && campaign.items[6].pledgedQuantity == 0)
        let close = try api.app.closeCampaign(id: id, reason: .closed, at: api.now).runBlocking()
        #expect(close.campaign.status == .failed && close.purchaseOrder == nil)
        try api.expectLedgerConsistent()
    }

    /// The close orders per SKU rounded per SKU with the style's total; a supplier short on one
    /// size refunds exactly those lines, the rest of each pledge standing, the ledger balanced.
    @Test func theOrderHasALinePerSKUAndAShortSizeRefundsExactlyItsLines() async throws {
        let api = try InProcessAPI()
        let id = try await jacketCampaign(api, minimum: 30, threshold: 20, leader: true)
        let first = await pledge(api, id, [("dj-navy-m", 12), ("dj-red-xl", 3)], consumer: "ann", extra: #","leader_code":"wang""#)
        let second = await pledge(api, id, [("dj-navy-m", 4), ("dj-navy-l", 6)], consumer: "bob", extra: #","leader_code":"wang""#)
        let third = await pledge(api, id, [("dj-navy-l", 7)], consumer: "cat")
        #expect([first, second, third].allSatisfy { $0.status == 201 })
        let close = try api.app.closeCampaign(id: id, reason: .closed, at: api.now).runBlocking()
        #expect(close.campaign.status == .succeeded && close.campaign.finalUnitPrice?.minor == 49900)
        let orderID = try #require(close.purchaseOrder?.id)
        let order = await api.call("GET", "/v1/purchase-orders/\(orderID)", token: api.admin).json
        let lines = order?["lines"]?.arrayValue ?? []
        #expect(lines.compactMap { $0["sku"]?.stringValue } == ["dj-navy-m", "dj-navy-l", "dj-red-xl"])
        #expect(lines.compactMap { $0["confirmed_quantity"]?.intValue } == [16, 13, 3])
        #expect(lines.compactMap { $0["order_quantity"]?.intValue } == [20, 15, 5])
        #expect(lines[2]["consumer_unit_price_minor"] == .int(49900 + 2000) && lines[0]["style"] == "down-jacket")
        #expect(order?["style_totals"]?[0]?["confirmed_quantity"] == 32 && order?["style_totals"]?[0]?["order_quantity"] == 40)
        // Commission on the total with the XL's difference: 5% of 15 × 499 + 3 × 20.
        let ann = try #require(first.json?["id"]?.intValue)
        let annConfirmed = await api.call("GET", "/v1/pledges/\(ann)", token: api.admin).json
        #expect(annConfirmed?["commission_minor"] == .int((15 * 49900 + 3 * 2000) * 500 / 10_000))
        try api.expectLedgerConsistent()

        // A day later the factory can make only 15 navy M: ann's 12 fit (first come), bob's 4 do not.
        api.clock.now = api.now.adding(days: 1)
        let supplierToken = try api.token(for: Principal(role: .supplier, supplierID: 1))
        let answered = await api.call("POST", "/v1/purchase-orders/\(orderID)/acknowledgement", token: supplierToken, body: """
            {"decision":"partially_accepted","lines":[{"sku":"dj-navy-m","accepted_quantity":15},{"sku":"dj-navy-l","accepted_quantity":15},
             {"sku":"dj-red-xl","accepted_quantity":5}],"promised_ship_date":"2027-01-10","reason":"fabric short"}
            """)
        #expect(answered.status == 200, "\(answered.text)")
        let bob = try #require(second.json?["id"]?.intValue)
        let bobAfter = await api.call("GET", "/v1/pledges/\(bob)", token: api.admin).json
        #expect(bobAfter?["status"] == "confirmed" && bobAfter?["live_quantity"] == 6)
        #expect(bobAfter?["lines"]?[0]?["status"] == "refunded" && bobAfter?["lines"]?[1]?["status"] == "active")
        #expect(bobAfter?["commission_minor"] == .int((10 * 49900) * 500 / 10_000 * 6 / 10))
        let refunds = await api.call("GET", "/v1/refunds?campaign_id=\(id)", token: api.admin).json?["refunds"]?.arrayValue ?? []
        #expect(refunds.count == 1 && refunds.first?["pledge_id"] == .int(bob) && refunds.first?["amount_minor"] == .int(4 * 10000), "\(refunds)")
        // The storefront's view of bob: 4 deposits back, 6 units' balance owed.
        let bobs = await api.call("GET", "/v1/consumers/bob/pledges", token: api.storefront).json?["pledges"]?[0]
        #expect(bobs?["refunded_minor"] == .int(4 * 10000) && bobs?["owed_minor"] == .int(6 * 49900 - 6 * 10000) && bobs?["refunds"]?.arrayValue?.count == 1,
                "\(String(describing: bobs))")
        // The standing part pays for what stands: 6 × 499.00 less its 6 deposits.
        let pay = await api.call("POST", "/v1/pledges/\(bob)/payments", token: api.storefront, body: #"{"amount_minor":\#(6 * 49900 - 6 * 10000),"reference":"wx-9"}"#,
                                 headers: [("Idempotency-Key", "pay-bob")])
        #expect(pay.status == 201 || pay.status == 200, "\(pay.text)")
        let navyM = (await api.call("GET", "/v1/purchase-orders/\(orderID)", token: api.admin).json?["lines"]?[0])
        #expect(navyM?["destinations"]?[0]?["quantity"] == 12 && navyM?["accepted_quantity"] == 15)
        try api.expectLedgerConsistent()
        let events = await api.call("GET", "/v1/events?types=pledge.lines_refunded", token: api.admin).json?["events"]?.arrayValue ?? []
        #expect(events.count == 1 && events.first?["data"]?["id"] == .int(bob))
        // Wang's pick list says what of each size to hand out, only what stands.
        let pick = await api.call("GET", "/v1/leaders/1/pick-list?campaign=\(id)", token: api.admin)
        let entries = pick.json?["entries"]?.arrayValue ?? []
        #expect(entries.count == 2 && pick.json?["total_quantity"] == 21, "\(pick.text)")
        let bobEntry = entries.first { $0["pledge_id"] == .int(bob) }
        #expect(bobEntry?["quantity"] == 6 && bobEntry?["lines"]?.arrayValue?.count == 1 && bobEntry?["lines"]?[0]?["sku"] == "dj-navy-l")
        let csv = await api.call("GET", "/v1/leaders/1/pick-list.csv?campaign=\(id)", token: api.admin)
        #expect(csv.text.hasPrefix("consumer_id,sku,quantity") && csv.text.contains("bob,dj-navy-l,6"), "\(csv.text)")
        // Bob's confirmation, restored from the row, shows him as he was then: both lines, the whole commission.
        let confirmations = await api.call("GET", "/v1/events?types=pledge.confirmed", token: api.admin).json?["events"]?.arrayValue ?? []
        let bobConfirmed = confirmations.first { $0["data"]?["id"] == .int(bob) }?["data"]
        #expect(bobConfirmed?["lines"]?[0]?["status"] == "active" && bobConfirmed?["commission_minor"] == .int(10 * 49900 * 500 / 10_000))
    }

    @Test func aCampaignOfOneImplicitItemTakesOneLineOfItsSKUAndAnswersAsBefore() async throws {
        let api = try InProcessAPI()
        let id = try api.campaign()
        let sku = try api.app.campaign(id: id).runBlocking().sku
        let byLine = await api.pledge(id, #"{"consumer_id":"a","lines":[{"sku":"\#(sku)","quantity":2}]}"#)
        #expect(byLine.status == 201 && byLine.json?["quantity"] == 2 && byLine.json?["lines"] == nil, "\(byLine.text)")
        let other = await api.pledge(id, #"{"consumer_id":"a","lines":[{"sku":"nope","quantity":2}]}"#)
        #expect(other.status == 422 && other.field == "lines[0].sku")
        #expect(await api.call("GET", "/v1/campaigns/\(id)", token: api.storefront).json?["items"] == nil)
    }

    @Test func aBasketChoosesItemsInACampaignOfSeveral() async throws {
        let api = try InProcessAPI()
        let id = try await jacketCampaign(api)
        let placed = await api.call("POST", "/v1/baskets", token: api.storefront, body: """
            {"consumer_id":"ann","lines":[{"campaign_id":\(id),"items":[{"sku":"dj-red-s","quantity":2},{"sku":"dj-red-m","quantity":1}]}]}
            """, headers: [("Idempotency-Key", "cart-1")])
        #expect(placed.status == 201 && placed.json?["lines"]?[0]?["quantity"] == 3, "\(placed.text)")
        let refused = await api.call("POST", "/v1/baskets", token: api.storefront, body: """
            {"consumer_id":"ann","lines":[{"campaign_id":\(id),"items":[{"sku":"dj-navy-s","quantity":11}]}]}
            """, headers: [("Idempotency-Key", "cart-2")])
        #expect(refused.status == 409 && refused.field == "lines[0].items[0].quantity", "\(refused.text)")
    }
}

extension InProcessAPI.Reply {
    /// The field an error names: its message's prefix before the first colon.
    var field: String? {
        guard let message = json?["error"]?["message"]?.stringValue, let colon = message.firstIndex(of: ":") else { return nil }
        return String(message[..<colon])
    }
}
