import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanTesting

/// A leader receives its own pickup point's share of an order (issue 23): a shortfall there
/// refunds the point's last-arrived lines, an over-delivery is stock, the point's pledges can be
/// handed out at once, and the operator's receipt afterwards covers the rest of the order.
@Suite struct PointReceiptSpecs {
    struct Setup {
        var api: InProcessAPI
        var wang: String, li: String, zhao: String
        var pledges: [Int64]
        var order: Int64
    }

    /// Leaders wang, li and zhao; pledges ann 5 and bob 3 through wang, cy 4 through li (zhao
    /// has none); all paid; the order of 12 (case pack 1) accepted, not received.
    func setup() async throws -> Setup {
        let api = try InProcessAPI()
        let seed = Seed(api.app, at: api.now.adding(seconds: -900))
        for code in ["wang", "li", "zhao"] { try seed.leader(code) }
        try seed.product(sku: "eggs", unitCost: 300, casePack: 1, minimumOrderQuantity: 0)
        let campaign = try seed.campaign(sku: "eggs", existingProduct: true, threshold: 1, cap: nil, deposit: 100, price: 1_000)
        let pledges = try [("ann", "wang", Int64(5)), ("bob", "wang", 3), ("cy", "li", 4)].enumerated().map { index, p in
            try seed.pledge(campaign.id, p.0, p.2, leaderCode: p.1, at: api.now.adding(seconds: -800 + Int64(index))).pledge.id
        }
        let close = try api.app.closeCampaign(id: campaign.id, reason: .closed, at: api.now.adding(seconds: -700)).runBlocking()
        for id in pledges { _ = try api.app.payBalance(pledgeID: id, at: api.now.adding(seconds: -600)).runBlocking() }
        let order = try #require(close.purchaseOrder?.id)
        _ = try api.app.acknowledgePurchaseOrder(id: order, PurchaseOrderAcknowledgement(decision: .accepted, promisedShipAt: api.now),
                                                 by: nil, at: api.now.adding(seconds: -500)).runBlocking()
        var tokens: [String] = []
        for code in ["wang", "li", "zhao"] {
            tokens.append(try api.token(for: Principal(role: .leader, leaderID: try api.app.snapshotBlocking { try $0.leader(code: code)!.id })))
        }
        return Setup(api: api, wang: tokens[0], li: tokens[1], zhao: tokens[2], pledges: pledges, order: order)
    }

    func receive(_ s: Setup, token: String, _ lines: String = "") async -> InProcessAPI.Reply {
        await s.api.call("POST", "/v1/purchase-orders/\(s.order)/receipts", token: token, body: #"{"lines":[\#(lines)],"note":"counted"}"#)
    }

    func status(_ s: Setup, _ id: Int64) async -> String? {
        await s.api.call("GET", "/v1/pledges/\(id)", token: s.api.admin).json?["status"]?.stringValue
    }

    @Test func aShortPointRefundsItsLastArrivedLineAndTheRestIsTheOperatorsReceipt() async throws {
        let s = try await setup()
        // 6 of wang's 8 arrived: ann's 5 fit, bob's 3 (the later) are refunded.
        let wang = await receive(s, token: s.wang, #"{"sku":"eggs","received_quantity":6}"#)
        #expect(wang.status == 201, "\(wang.text)")
        #expect(wang.json?["refunded_pledges"] == [.int(s.pledges[1])] && wang.json?["pickup_point"] == "Point wang")
        let ann = await status(s, s.pledges[0]), bob = await status(s, s.pledges[1])
        #expect(ann == "paid" && bob == "refunded")
        let again = await receive(s, token: s.wang)
        #expect(again.status == 409 && again.json?["error"]?["code"] == "invalid_transition", "\(again.text)")
        #expect(await receive(s, token: s.zhao).status == 404)
        // Wang's point hands ann's eggs out before the rest of the order is received; li's cannot.
        let annCode = await s.api.call("GET", "/v1/pledges/\(s.pledges[0])/pickup-code", token: s.api.storefront).json?["code"]?.stringValue ?? ""
        let handed = await s.api.call("POST", "/v1/pickups", token: s.wang, body: #"{"code":"\#(annCode)"}"#)
        #expect(handed.status == 201, "\(handed.text)")
        let cyCode = await s.api.call("GET", "/v1/pledges/\(s.pledges[2])/pickup-code", token: s.api.storefront).json?["code"]?.stringValue ?? ""
        let early = await s.api.call("POST", "/v1/pickups", token: s.li, body: #"{"code":"\#(cyCode)"}"#)
        #expect(early.status == 409 && early.json?["error"]?["message"]?.stringValue?.contains("not been received") == true, "\(early.text)")
        // The operator receives the rest: li's 4 as expected; the line totals what both counted.
        let rest = await s.api.call("POST", "/v1/purchase-orders/\(s.order)/receipts", token: s.api.admin, body: #"{"lines":[]}"#)
        #expect(rest.status == 201, "\(rest.text)")
        let line = try #require(try s.api.app.purchaseOrder(id: s.order).runBlocking().0.lines.first)
        #expect(line.receivedQuantity == 10 && line.destinations.reduce(0) { $0 + $1.quantity } == 9, "\(line)")
        let shown = await s.api.call("GET", "/v1/purchase-orders/\(s.order)", token: s.api.admin)
        #expect(shown.json?["point_receipts"]?[0]?["lines"]?[0]?["received_quantity"] == .int(6))
        #expect(await status(s, s.pledges[2]) == "paid")
        try s.api.expectLedgerConsistent()
    }

    @Test func anOverDeliveryAtAPointIsStockOwedToTheSupplier() async throws {
        let s = try await setup()
        let li = await receive(s, token: s.li, #"{"sku":"eggs","received_quantity":6}"#)
        #expect(li.status == 201 && li.json?["to_stock"] == [["sku": "eggs", "quantity": 2]], "\(li.text)")
        #expect(try s.api.app.stockLevels().runBlocking().first?.quantity == 2)
        let rest = await s.api.call("POST", "/v1/purchase-orders/\(s.order)/receipts", token: s.api.admin, body: #"{"lines":[]}"#)
        #expect(rest.status == 201)
        #expect(try s.api.app.purchaseOrder(id: s.order).runBlocking().0.lines.first?.receivedQuantity == 14)
        // After the operator's receipt a point can no longer be received.
        #expect(await receive(s, token: s.wang).status == 409)
        try s.api.expectLedgerConsistent()
    }

    @Test func onlyLeadersAndTheOperatorReceive() async throws {
        let s = try await setup()
        let supplier = try s.api.token(for: Principal(role: .supplier, supplierID: 1))
        for token in [s.api.storefront, s.api.planner, supplier] { #expect(await receive(s, token: token).status == 403) }
        #expect(await s.api.call("POST", "/v1/purchase-orders/\(s.order)/receipts", body: "{}").status == 401)
        let bad = await receive(s, token: s.li, #"{"sku":"eggs","received_quantity":-1}"#)
        #expect(bad.status == 422, "\(bad.text)")
        let beyond = await receive(s, token: s.li, #"{"sku":"eggs","received_quantity":\#(Bounds.campaignUnits + 1)}"#)
        #expect(beyond.status == 422, "\(beyond.text)")
        let unknown = await receive(s, token: s.li, #"{"sku":"milk","received_quantity":1}"#)
        #expect(unknown.status == 422, "\(unknown.text)")
    }
}
