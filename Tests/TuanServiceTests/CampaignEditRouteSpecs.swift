import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanTesting

/// `PATCH /v1/campaigns/{id}`: a live campaign's terms change only for the better for those who
/// pledged, one behaviour each, through the router in process. The campaign: tea, threshold 5,
/// cap 10, 10.00 from 1 unit and 8.00 from 20, 1.00 down a unit, closing 2026-12-09.
@Suite struct CampaignEditRouteSpecs {
    static let now = Timestamp(rfc3339: "2026-12-02T12:00:00Z")!

    func campaign(_ api: InProcessAPI) async throws -> Int64 {
        try await api.catalog()
        return try await api.create("/v1/campaigns", """
            {"sku":"tea","title":"Tea","closes_at":"2026-12-09T12:00:00Z","threshold":5,"cap":10,"deposit_per_unit_minor":100,
             "tiers":[{"min_quantity":1,"unit_price_minor":1000},{"min_quantity":20,"unit_price_minor":800}]}
            """)
    }

    func edit(_ api: InProcessAPI, _ id: Int64, _ body: String, token: String? = nil) async -> InProcessAPI.Reply {
        await api.call("PATCH", "/v1/campaigns/\(id)", token: token ?? api.admin, body: body)
    }

    func code(_ reply: InProcessAPI.Reply) -> String? { reply.json?["error"]?["code"]?.stringValue }

    @Test func theDeadlineCanBeExtendedAndTheOtherDeadlinesFollow() async throws {
        let api = try InProcessAPI(now: Self.now), id = try await campaign(api)
        let before = try api.app.campaign(id: id).runBlocking()
        let extended = await edit(api, id, #"{"closes_at":"2026-12-12T12:00:00Z"}"#)
        #expect(extended.status == 200 && extended.json?["closes_at"] == "2026-12-12T12:00:00Z", "\(extended.text)")
        #expect(extended.json?["cancellation_deadline"] == "2026-12-12T12:00:00Z")
        #expect(extended.json?["balance_due_at"]?.stringValue == before.balanceDueAt.adding(seconds: 3 * 86_400).rfc3339)
        // Past the old deadline, pledges are still taken and the scheduler does not close it.
        api.clock.now = Timestamp(rfc3339: "2026-12-10T00:00:00Z")!
        await api.scheduler.runDueWork()
        #expect(await api.pledge(id, #"{"consumer_id":"late","quantity":1}"#).status == 201)
        let shorter = await edit(api, id, #"{"closes_at":"2026-12-11T12:00:00Z"}"#)
        #expect(shorter.status == 409 && code(shorter) == "shortens_deadline")
        #expect(try api.app.campaign(id: id).runBlocking().closesAt == Timestamp(rfc3339: "2026-12-12T12:00:00Z"))
    }

    @Test func theCapCanBeRaisedOrRemovedButNotLowered() async throws {
        let api = try InProcessAPI(now: Self.now), id = try await campaign(api)
        _ = await api.call("GET", "/v1/campaigns/\(id)")  // a reader remembers the terms
        #expect(await api.pledge(id, #"{"consumer_id":"a","quantity":5}"#).status == 201)
        #expect(code(await api.pledge(id, #"{"consumer_id":"b","quantity":6}"#)) == "sold_out")
        #expect(await edit(api, id, #"{"cap":20}"#).json?["cap"] == 20)
        #expect(await api.call("GET", "/v1/campaigns/\(id)").json?["cap"] == 20)
        #expect(await api.pledge(id, #"{"consumer_id":"b","quantity":6}"#).status == 201)
        #expect(code(await edit(api, id, #"{"cap":15}"#)) == "lowers_cap")
        #expect(await edit(api, id, #"{"cap":null}"#).json?["cap"] == .null)
        #expect(await api.pledge(id, #"{"consumer_id":"c","quantity":5}"#).status == 201)
        // 16 units are pledged now: a cap under them is refused too.
        let under = await edit(api, id, #"{"cap":12}"#)
        #expect(under.status == 409 && code(under) == "lowers_cap")
        try api.expectLedgerConsistent()
    }

    @Test func tiersMayOnlyLowerPrices() async throws {
        let api = try InProcessAPI(now: Self.now), id = try await campaign(api)
        let lower = await edit(api, id, #"{"tiers":[{"min_quantity":1,"unit_price_minor":1000},{"min_quantity":8,"unit_price_minor":900},{"min_quantity":20,"unit_price_minor":700}]}"#)
        #expect(lower.status == 200 && lower.json?["tiers"]?.arrayValue?.count == 3, "\(lower.text)")
        let raised = await edit(api, id, #"{"tiers":[{"min_quantity":1,"unit_price_minor":1100}]}"#)
        #expect(raised.status == 409 && code(raised) == "raises_price")
        // Dropping a tier raises the price from its quantity on.
        let dropped = await edit(api, id, #"{"tiers":[{"min_quantity":1,"unit_price_minor":1000},{"min_quantity":20,"unit_price_minor":700}]}"#)
        #expect(dropped.status == 409 && code(dropped) == "raises_price")
        #expect(try api.app.campaign(id: id).runBlocking().schedule.tiers.count == 3)
    }

    @Test func theDepositMayBeLoweredForLaterPledgesOnly() async throws {
        let api = try InProcessAPI(now: Self.now), id = try await campaign(api)
        let early = await api.pledge(id, #"{"consumer_id":"early","quantity":2}"#)
        #expect(code(await edit(api, id, #"{"deposit_per_unit_minor":150}"#)) == "raises_deposit")
        #expect(await edit(api, id, #"{"deposit_per_unit_minor":50}"#).json?["deposit_per_unit_minor"] == 50)
        let later = await api.pledge(id, #"{"consumer_id":"later","quantity":2}"#)
        #expect(early.json?["deposit_minor"] == 200 && later.json?["deposit_minor"] == 100)
        try api.expectLedgerConsistent()
    }

    @Test func titleAndDescriptionChangeAndShowOnThePage() async throws {
        let api = try InProcessAPI(now: Self.now), id = try await campaign(api)
        let edited = await edit(api, id, #"{"title":"Spring tea","description":"Picked <early> in April."}"#)
        #expect(edited.json?["title"] == "Spring tea" && edited.json?["description"] == "Picked <early> in April.")
        let page = await api.call("GET", "/c/\(id)")
        #expect(page.text.contains("Spring tea") && page.text.contains("Picked &lt;early&gt; in April."))
        #expect(await edit(api, id, #"{"description":""}"#).json?["description"] == .null)
        #expect(await edit(api, id, #"{"title":""}"#).status == 422)
        #expect(await edit(api, id, "{\"description\":\"\(String(repeating: "x", count: 2001))\"}").status == 422)
    }

    @Test func onlyALiveCampaignIsEditedAndOnlyByAnAdmin() async throws {
        let api = try InProcessAPI(now: Self.now), id = try await campaign(api)
        #expect(await edit(api, id, "{}").status == 422)
        #expect(await edit(api, id, #"{"threshold":3}"#).status == 422)
        #expect(await edit(api, id, #"{"title":"x"}"#, token: api.storefront).status == 403)
        #expect(await edit(api, id, #"{"title":"x"}"#, token: api.planner).status == 403)
        #expect(await api.call("PATCH", "/v1/campaigns/\(id)", body: #"{"title":"x"}"#).status == 401)
        #expect(await edit(api, 999, #"{"title":"x"}"#).status == 404)
        _ = await api.call("POST", "/v1/campaigns/\(id)/close", token: api.admin)
        let closed = await edit(api, id, #"{"closes_at":"2026-12-20T00:00:00Z"}"#)
        #expect(closed.status == 409 && code(closed) == "invalid_transition")
    }
}
