import Testing
import TuanDomain

/// A closed campaign's purchase order: who may see it, and the supplier's answer (accepted,
/// partially accepted, rejected), one behaviour each, through the router in process.
@Suite struct PurchaseOrderRouteSpecs {
    /// Green Valley's Longjing (42.00 a unit, cases of 12, at least 24), a campaign tipping at 20,
    /// and pledges of 12 (alice), 15 (bob, through leader Wang) and 8 (carol): 35 units.
    struct Closed {
        let api: InProcessAPI
        let campaign: Int64, order: Int64
        let supplier: String, rival: String
        var acknowledgement: String { "/v1/purchase-orders/\(order)/acknowledgement" }
    }

    func closedCampaign() async throws -> Closed {
        let api = try InProcessAPI()
        let supplierID = try await api.create("/v1/suppliers", #"{"name":"Green Valley"}"#)
        let product = await api.call("POST", "/v1/products", token: api.admin, body: """
            {"sku":"tea-500g","supplier_id":\(supplierID),"name":"Longjing 500g","unit_cost_minor":4200,"case_pack":12,"minimum_order_quantity":24}
            """)
        #expect(product.status == 201)
        let campaign = try await api.create("/v1/campaigns", """
            {"sku":"tea-500g","title":"Spring","closes_at":"2099-01-01T00:00:00Z","threshold":20,"cap":100,
             "tiers":[{"min_quantity":1,"unit_price_minor":9900},{"min_quantity":30,"unit_price_minor":8900}],"deposit_per_unit_minor":1000}
            """)
        _ = try await api.create("/v1/leaders", #"{"code":"wang","name":"Wang","pickup_point":"Jing'an","commission_bps":300}"#)
        for body in [#"{"consumer_id":"alice","quantity":12,"pickup_point":"Xuhui"}"#, #"{"consumer_id":"bob","quantity":15,"leader_code":"wang"}"#,
                     #"{"consumer_id":"carol","quantity":8,"pickup_point":"Xuhui"}"#] {
            #expect(await api.pledge(campaign, body).status == 201)
        }
        let closed = await api.call("POST", "/v1/campaigns/\(campaign)/close", token: api.admin)
        let order = try #require(closed.json?["purchase_order"]?["id"]?.intValue, "\(closed.text)")
        let rivalID = try await api.create("/v1/suppliers", #"{"name":"Rival Tea"}"#)
        return Closed(api: api, campaign: campaign, order: order,
                      supplier: try api.token(for: Principal(role: .supplier, supplierID: supplierID)),
                      rival: try api.token(for: Principal(role: .supplier, supplierID: rivalID)))
    }

    static let partial = #"{"decision":"partially_accepted","lines":[{"sku":"tea-500g","accepted_quantity":24}],"promised_ship_date":"2026-12-01","reason":"short of leaves"}"#

    @Test func aSupplierSeesItsOwnOrderAndNoOneElses() async throws {
        let c = try await closedCampaign(), api = c.api
        #expect(await api.call("GET", "/v1/purchase-orders/\(c.order)", token: c.supplier).status == 200)
        #expect(await api.call("GET", "/v1/purchase-orders/\(c.order)", token: c.rival).status == 403)
        #expect(await api.call("GET", "/v1/purchase-orders", token: c.supplier).json?["purchase_orders"]?.arrayValue?.count == 1)
        #expect(await api.call("GET", "/v1/purchase-orders", token: c.rival).json?["purchase_orders"]?.arrayValue?.count == 0)
    }

    @Test func noTokenOrAStorefrontTokenSeesNoOrder() async throws {
        let c = try await closedCampaign(), api = c.api
        #expect(await api.call("GET", "/v1/purchase-orders/\(c.order)").status == 401)
        #expect(await api.call("GET", "/v1/purchase-orders/\(c.order)", token: api.storefront).status == 403)
    }

    @Test func anUnknownOrderIs404() async throws {
        let c = try await closedCampaign()
        #expect(await c.api.call("GET", "/v1/purchase-orders/999", token: c.api.admin).status == 404)
    }

    @Test func onlyTheOrdersSupplierMayAnswerIt() async throws {
        let c = try await closedCampaign()
        #expect(await c.api.call("POST", c.acknowledgement, token: c.rival, body: #"{"decision":"rejected","reason":"no"}"#).status == 403)
    }

    @Test func aPartialAnswerNeedsAReasonAndNoMoreThanWasOrdered() async throws {
        let c = try await closedCampaign(), api = c.api
        let missingReason = await api.call("POST", c.acknowledgement, token: c.supplier, body: #"{"decision":"partially_accepted","lines":[{"sku":"tea-500g","accepted_quantity":24}],"promised_ship_date":"2026-12-01"}"#)
        #expect(missingReason.status == 422 && missingReason.json?["error"]?["message"]?.stringValue?.contains("reason") == true)
        let tooMany = await api.call("POST", c.acknowledgement, token: c.supplier, body: #"{"decision":"partially_accepted","lines":[{"sku":"tea-500g","accepted_quantity":99}],"promised_ship_date":"2026-12-01","reason":"x"}"#)
        #expect(tooMany.status == 422)
    }

    @Test func aPartialAnswerFillsPledgesInArrivalOrderAndRefundsTheRest() async throws {
        let c = try await closedCampaign(), api = c.api
        let partial = await api.call("POST", c.acknowledgement, token: c.supplier, body: Self.partial)
        #expect(partial.status == 200 && partial.json?["status"] == "partially_accepted")
        #expect(partial.json?["refunded_pledges"]?.arrayValue?.count == 1)
        // 24 of 35: alice (12) and bob (15) arrived first, but bob no longer fits after alice; carol (8) does.
        let pledges = try api.app.pledges(campaignID: c.campaign).runBlocking()
        #expect(pledges.filter { $0.status == .confirmed }.map(\.consumerID).sorted() == ["alice", "carol"])
        #expect(pledges.filter { $0.status == .refunded }.map(\.consumerID) == ["bob"])
        // The storefront hears of the answer, bob's refund and the refund due, in that transaction.
        let events = await api.call("GET", "/v1/events?types=purchase_order.acknowledged,pledge.refunded,refund.due", token: api.storefront)
        let items = events.json?["events"]?.arrayValue ?? []
        #expect(items.compactMap { $0["type"]?.stringValue }.sorted() == ["pledge.refunded", "purchase_order.acknowledged", "refund.due"])
        #expect(items.first { $0["type"] == "purchase_order.acknowledged" }?["data"]?["status"] == "partially_accepted")
        #expect(items.first { $0["type"] == "pledge.refunded" }?["data"]?["consumer_id"] == "bob")
    }

    @Test func aPartialAnswerLeavesEscrowAndThePayableAtWhatWasAccepted() async throws {
        let c = try await closedCampaign(), api = c.api
        _ = await api.call("POST", c.acknowledgement, token: c.supplier, body: Self.partial)
        let balances = try api.app.ledgerBalances().runBlocking()
        #expect(balances.isBalanced)
        // Escrow holds only the deposits of pledges still being filled: (12 + 8) × 10.00.
        #expect(balances.balance(.escrow, currency: "CNY") == -20_000)
        // The payable is what was accepted: 24 × 42.00.
        #expect(balances.balance(.supplierPayables, currency: "CNY") == -100_800)
        try api.expectLedgerConsistent()
    }

    @Test func anOrderIsAnsweredOnce() async throws {
        let c = try await closedCampaign(), api = c.api
        _ = await api.call("POST", c.acknowledgement, token: c.supplier, body: Self.partial)
        let again = await api.call("POST", c.acknowledgement, token: c.supplier, body: #"{"decision":"accepted","promised_ship_date":"2026-12-01"}"#)
        #expect(again.status == 409)
    }
}
