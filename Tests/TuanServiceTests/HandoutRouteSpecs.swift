import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanTesting

/// Hand-out at pickup points (issue 23, part): a leader token sees its point's list and
/// collects a pledge by the code its consumer shows; twice, at the wrong point, before the
/// goods arrived, or with a balance owed is refused. In process.
@Suite struct HandoutRouteSpecs {
    struct Setup {
        var api: InProcessAPI
        var wang: String, li: String
        var pledges: [Int64]
        var order: Int64
    }

    /// Two leaders (wang at Gate 3, li at North), a succeeded campaign with pledges through
    /// wang (ann, bob) and li (cy), all paid but bob; its order accepted.
    func setup(received: Bool = true) async throws -> Setup {
        let api = try InProcessAPI()
        let seed = Seed(api.app, at: api.now.adding(seconds: -900))
        try seed.leader("wang")
        try seed.leader("li")
        let campaign = try seed.campaign(sku: "tea", threshold: 3, cap: 50, price: 1_000)
        let pledges = try [("ann", "wang"), ("bob", "wang"), ("cy", "li")].enumerated().map { index, p in
            try seed.pledge(campaign.id, p.0, 2, leaderCode: p.1, at: api.now.adding(seconds: -800 + Int64(index))).pledge.id
        }
        let close = try api.app.closeCampaign(id: campaign.id, reason: .closed, at: api.now.adding(seconds: -700)).runBlocking()
        for id in [pledges[0], pledges[2]] { _ = try api.app.payBalance(pledgeID: id, at: api.now.adding(seconds: -600)).runBlocking() }
        let order = try #require(close.purchaseOrder?.id)
        _ = try api.app.acknowledgePurchaseOrder(id: order, PurchaseOrderAcknowledgement(decision: .accepted, promisedShipAt: api.now),
                                                 by: nil, at: api.now.adding(seconds: -500)).runBlocking()
        if received { _ = try api.app.receivePurchaseOrder(id: order, PurchaseOrderReceipt(), at: api.now.adding(seconds: -400)).runBlocking() }
        let wang = try api.token(for: Principal(role: .leader, leaderID: try api.app.snapshotBlocking { try $0.leader(code: "wang")!.id }))
        let li = try api.token(for: Principal(role: .leader, leaderID: try api.app.snapshotBlocking { try $0.leader(code: "li")!.id }))
        return Setup(api: api, wang: wang, li: li, pledges: pledges, order: order)
    }

    func code(_ s: Setup, _ pledge: Int64) async throws -> String {
        let reply = await s.api.call("GET", "/v1/pledges/\(pledge)/pickup-code", token: s.api.storefront)
        return try #require(reply.json?["code"]?.stringValue, "\(reply.text)")
    }

    func collect(_ s: Setup, _ code: String, token: String) async -> InProcessAPI.Reply {
        await s.api.call("POST", "/v1/pickups", token: token, body: #"{"code":"\#(code)"}"#)
    }

    @Test func aLeaderSeesItsListAndCollectsByCodeOnce() async throws {
        let s = try await setup()
        let list = await s.api.call("GET", "/v1/pickups", token: s.wang).json?["pickups"]?.arrayValue ?? []
        #expect(list.compactMap { $0["consumer_id"]?.stringValue } == ["ann", "bob"] && list.allSatisfy { $0["ready_since"] != .null })
        let ann = try await code(s, s.pledges[0])
        #expect(ann.hasPrefix("\(s.pledges[0])-") && ann.count == String(s.pledges[0]).count + 7)
        // Typed sloppily: lower case, spaces.
        let collected = await collect(s, " " + ann.lowercased().replacingOccurrences(of: "-", with: " - ") + " ", token: s.wang)
        #expect(collected.status == 201 && collected.json?["pledge"]?["id"] == .int(s.pledges[0]), "\(collected.text)")
        let twice = await collect(s, ann, token: s.wang)
        #expect(twice.status == 409 && twice.json?["error"]?["message"]?.stringValue?.contains("was collected") == true)
        let uncollected = await s.api.call("GET", "/v1/pickups?status=uncollected", token: s.wang).json?["pickups"]?.arrayValue ?? []
        #expect(uncollected.compactMap { $0["consumer_id"]?.stringValue } == ["bob"])
        let done = await s.api.call("GET", "/v1/pickups?status=collected", token: s.wang).json?["pickups"]?.arrayValue ?? []
        #expect(done.count == 1 && done.first?["collected_at"] != .null)
        let events = await s.api.call("GET", "/v1/events?types=pledge.collected", token: s.api.admin).json?["events"]?.arrayValue ?? []
        #expect(events.count == 1 && events.first?["data"]?["id"] == .int(s.pledges[0]))
    }

    @Test func collectingIsRefusedAtTheWrongPointWithAWrongCodeAndWithABalanceOwed() async throws {
        let s = try await setup()
        let cy = try await code(s, s.pledges[2])
        let wrongPoint = await collect(s, cy, token: s.wang)
        #expect(wrongPoint.status == 409, "\(wrongPoint.text)")
        let forged = String(cy.dropLast()) + (cy.last == "A" ? "B" : "A")
        #expect(await collect(s, forged, token: s.li).status == 404)
        #expect(await collect(s, "999999-ABCDEF", token: s.li).status == 404)
        #expect(await collect(s, "hello", token: s.li).status == 422)
        let bob = try await code(s, s.pledges[1])
        let owed = await collect(s, bob, token: s.wang)
        #expect(owed.status == 409 && owed.json?["error"]?["message"]?.stringValue?.contains("owes its balance") == true)
        #expect(await collect(s, cy, token: s.li).status == 201)
    }

    @Test func nothingIsHandedOutBeforeTheGoodsArrive() async throws {
        let s = try await setup(received: false)
        let ann = try await code(s, s.pledges[0])
        let early = await collect(s, ann, token: s.wang)
        #expect(early.status == 409 && early.json?["error"]?["message"]?.stringValue?.contains("not been received") == true)
        let list = await s.api.call("GET", "/v1/pickups", token: s.wang).json?["pickups"]?.arrayValue ?? []
        #expect(list.count == 2 && list.allSatisfy { $0["ready_since"] == .null })
    }

    @Test func rolesAndLeadersAreKeptApart() async throws {
        let s = try await setup()
        for token in [s.api.storefront, s.api.planner, try s.api.token(for: Principal(role: .supplier, supplierID: 1))] {
            #expect(await s.api.call("GET", "/v1/pickups", token: token).status == 403)
            #expect(await collect(s, "1-AAAAAA", token: token).status == 403)
        }
        let liID = try s.api.app.snapshotBlocking { try $0.leader(code: "li")!.id }
        #expect(await s.api.call("GET", "/v1/pickups?leader_id=\(liID)", token: s.wang).status == 403)
        let admin = await s.api.call("GET", "/v1/pickups?leader_id=\(liID)&status=all", token: s.api.admin).json?["pickups"]?.arrayValue ?? []
        #expect(admin.compactMap { $0["consumer_id"]?.stringValue } == ["cy"])
        #expect(await s.api.call("GET", "/v1/pickups", token: s.api.admin).status == 422)
        #expect(await s.api.call("GET", "/v1/pledges/\(s.pledges[0])/pickup-code", token: s.wang).status == 403)
        // Goods waiting longer than N days.
        #expect((await s.api.call("GET", "/v1/pickups?older_than_days=0", token: s.wang).json?["pickups"]?.arrayValue ?? []).count == 2)
        #expect((await s.api.call("GET", "/v1/pickups?older_than_days=3", token: s.wang).json?["pickups"]?.arrayValue ?? []).isEmpty)
        #expect(await s.api.call("GET", "/v1/pickups?status=lost", token: s.wang).status == 422)
    }
}
