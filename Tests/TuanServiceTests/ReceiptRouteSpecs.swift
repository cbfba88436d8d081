import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanTesting

/// Receiving (`POST /v1/purchase-orders/{id}/receipts`, issue 23): what arrived of an answered
/// order. A short delivery refunds the lines that did not arrive, the last-arrived first; an
/// over-delivery goes to stock; the supplier payable follows what was received. Over HTTP in process.
@Suite struct ReceiptRouteSpecs {
    /// Tea (4.00, cases of 6), a campaign of 10.00 a unit with 1.00 deposits, pledges of 5, 7
    /// and 4 (in that order), closed and accepted in full: 18 ordered for 16 confirmed.
    func answeredOrder(_ api: InProcessAPI) async throws -> (order: Int64, pledges: [Int64]) {
        let seed = Seed(api.app, at: api.now.adding(seconds: -600))
        let campaign = try seed.campaign(sku: "tea", threshold: 5, cap: 50, price: 1_000)
        let pledges = try [("ann", Int64(5)), ("bob", 7), ("cy", 4)].enumerated().map { index, pledge in
            try seed.pledge(campaign.id, pledge.0, pledge.1, at: api.now.adding(seconds: -500 + Int64(index))).pledge.id
        }
        let close = try api.app.closeCampaign(id: campaign.id, reason: .closed, at: api.now.adding(seconds: -100)).runBlocking()
        let order = try #require(close.purchaseOrder)
        #expect(order.lines[0].orderQuantity == 18 && order.lines[0].confirmedQuantity == 16)
        let answer = PurchaseOrderAcknowledgement(decision: .accepted, promisedShipAt: api.now.adding(days: 1))
        _ = try api.app.acknowledgePurchaseOrder(id: order.id, answer, by: nil, at: api.now.adding(seconds: -50)).runBlocking()
        return (order.id, pledges)
    }

    func receive(_ api: InProcessAPI, _ order: Int64, _ body: String, token: String? = nil) async -> InProcessAPI.Reply {
        await api.call("POST", "/v1/purchase-orders/\(order)/receipts", token: token ?? api.admin, body: body)
    }

    @Test func aShortDeliveryRefundsTheLastArrivedPledgesThatDidNotArrive() async throws {
        let api = try InProcessAPI()
        let (order, pledges) = try await answeredOrder(api)
        let before = try api.app.ledgerBalances().runBlocking()
        // 13 arrive: ann's 5 and bob's 7 fit (12), cy's 4 do not.
        let received = await receive(api, order, #"{"lines":[{"sku":"tea","received_quantity":13}],"note":"one case damaged"}"#)
        #expect(received.status == 201, "\(received.text)")
        #expect(received.json?["refunded_pledges"] == .array([.int(pledges[2])]) && received.json?["lines"]?[0]?["received_quantity"] == 13)
        #expect(received.json?["receipt_note"] == "one case damaged" && received.json?["received_at"] != nil)
        #expect(received.json?["lines"]?[0]?["destinations"]?[0]?["quantity"] == 12)
        let cy = await api.call("GET", "/v1/pledges/\(pledges[2])", token: api.admin).json
        #expect(cy?["status"] == "refunded")
        let refunds = await api.call("GET", "/v1/refunds?pledge_id=\(pledges[2])", token: api.admin).json?["refunds"]?.arrayValue ?? []
        #expect(refunds.count == 1 && refunds.first?["amount_minor"] == .int(400), "\(refunds)")
        // The supplier is owed for 13, not 18: 5 × 4.00 came off.
        let after = try api.app.ledgerBalances().runBlocking()
        #expect(after.balance(.supplierPayables, currency: "CNY") - before.balance(.supplierPayables, currency: "CNY") == 5 * 400)
        let events = await api.call("GET", "/v1/events?types=purchase_order.received,pledge.refunded,refund.due", token: api.admin).json?["events"]?.arrayValue ?? []
        #expect(events.compactMap { $0["type"]?.stringValue }.suffix(3) == ["refund.due", "purchase_order.received", "pledge.refunded"]
                || Set(events.compactMap { $0["type"]?.stringValue }).isSuperset(of: ["purchase_order.received", "pledge.refunded", "refund.due"]),
                "\(events.compactMap { $0["type"]?.stringValue })")
        // Once is all: a second receipt is refused.
        let again = await receive(api, order, #"{"lines":[{"sku":"tea","received_quantity":18}]}"#)
        #expect(again.status == 409 && again.json?["error"]?["code"] == "invalid_transition")
        try api.expectLedgerConsistent()
    }

    @Test func aShortfallWithinTheRoundingSurplusRefundsNobody() async throws {
        let api = try InProcessAPI()
        let (order, _) = try await answeredOrder(api)
        let received = await receive(api, order, #"{"lines":[{"sku":"tea","received_quantity":16}]}"#)
        #expect(received.status == 201 && received.json?["refunded_pledges"] == .array([]))
        #expect(received.json?["lines"]?[0]?["line_cost_minor"] == .int(16 * 400))
        try api.expectLedgerConsistent()
    }

    @Test func anOverDeliveryAndTheRoundingSurplusGoToStock() async throws {
        let api = try InProcessAPI()
        let (order, _) = try await answeredOrder(api)
        let before = try api.app.ledgerBalances().runBlocking()
        // 24 arrive for 18 ordered and 16 held: 6 beyond the order (owed) and the 2 of surplus.
        let received = await receive(api, order, #"{"lines":[{"sku":"tea","received_quantity":24}]}"#)
        #expect(received.status == 201 && received.json?["to_stock"] == .array([["sku": "tea", "quantity": 8]]), "\(received.text)")
        let stock = await api.call("GET", "/v1/stock", token: api.planner)
        #expect(stock.json?["stock"] == .array([["sku": "tea", "quantity": 8]]))
        #expect(await api.call("GET", "/v1/forecasts/skus/tea", token: api.planner).json?["stock_units"] == 8)
        let after = try api.app.ledgerBalances().runBlocking()
        #expect(after.balance(.stock, currency: "CNY") - before.balance(.stock, currency: "CNY") == 8 * 400)
        #expect(after.balance(.supplierPayables, currency: "CNY") - before.balance(.supplierPayables, currency: "CNY") == -6 * 400)
        #expect(after.balance(.costOfGoods, currency: "CNY") - before.balance(.costOfGoods, currency: "CNY") == -2 * 400)
        try api.expectLedgerConsistent()
    }

    @Test func aReceiptIsRefusedBeforeTheAnswerForUnknownLinesAndForOtherRoles() async throws {
        let api = try InProcessAPI()
        let seed = Seed(api.app, at: api.now.adding(seconds: -600))
        let campaign = try seed.campaign(sku: "rice", threshold: 1, cap: 10)
        try seed.pledge(campaign.id, "ann", 2)
        let open = try #require(try api.app.closeCampaign(id: campaign.id, reason: .closed, at: api.now).runBlocking().purchaseOrder?.id)
        #expect(await receive(api, open, "{}").status == 409)
        let (order, _) = try await answeredOrder(api)
        for (body, status) in [(#"{"lines":[{"sku":"nope","received_quantity":1}]}"#, 422),
                               (#"{"lines":[{"sku":"tea","received_quantity":-1}]}"#, 422),
                               (#"{"lines":[{"sku":"tea","received_quantity":1000000001}]}"#, 422),
                               (#"{"lines":[{"sku":"tea","received_quantity":1},{"sku":"tea","received_quantity":2}]}"#, 422),
                               (#"{"lines":[{"sku":"tea","received":1}]}"#, 422),
                               (#"{"lines":[{"sku":"tea","received_quantity":1}],"extra":1}"#, 422)] {
            let refused = await receive(api, order, body)
            #expect(refused.status == status, "\(body): \(refused.status) \(refused.text)")
        }
        for token in [api.storefront, api.planner, try api.token(for: Principal(role: .supplier, supplierID: 1))] {
            #expect(await receive(api, order, "{}", token: token).status == 403)
        }
        #expect(await receive(api, order, "{}", token: "").status == 401)
        #expect(await api.call("GET", "/v1/stock", token: api.storefront).status == 403)
        try api.expectLedgerConsistent()
    }

    /// Stock is offered first to the next campaign of the SKU: it orders only the rest (rounded
    /// to its case), and the stock account and levels come back down.
    @Test func theNextCampaignIsServedFromStockFirst() async throws {
        let api = try InProcessAPI()
        let (order, _) = try await answeredOrder(api)
        _ = await receive(api, order, #"{"lines":[{"sku":"tea","received_quantity":24}]}"#)  // 8 to stock
        let seed = Seed(api.app, at: api.now.adding(seconds: -300))
        let next = try seed.campaign(sku: "tea", existingProduct: true, threshold: 1, cap: 50, price: 1_000)
        try seed.pledge(next.id, "dan", 6, at: api.now.adding(seconds: -200))
        try seed.pledge(next.id, "eve", 4, at: api.now.adding(seconds: -199))
        let close = try api.app.closeCampaign(id: next.id, reason: .closed, at: api.now).runBlocking()
        let line = try #require(close.purchaseOrder?.lines.first)
        // 10 confirmed: 8 from stock, 2 to order, up to tea's MOQ of 12 (10 of surplus, shown).
        #expect(line.confirmedQuantity == 10 && line.fromStock == 8 && line.orderQuantity == 12 && line.roundingSurplus == 10, "\(line)")
        let shown = await api.call("GET", "/v1/purchase-orders/\(close.purchaseOrder!.id)", token: api.admin)
        #expect(shown.json?["lines"]?[0]?["from_stock"] == 8)
        #expect(await api.call("GET", "/v1/stock", token: api.planner).json?["stock"] == .array([]))
        #expect(try api.app.ledgerBalances().runBlocking().balance(.stock, currency: "CNY") == 0)
        try api.expectLedgerConsistent()
    }
}
