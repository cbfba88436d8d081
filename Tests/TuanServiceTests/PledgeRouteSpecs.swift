import Testing
import TuanDomain

/// `POST /v1/campaigns/{id}/pledges` and its neighbours, one behaviour each, through the
/// router in process.
@Suite struct PledgeRouteSpecs {
    let pledge = #"{"consumer_id":"alice","quantity":3}"#

    @Test func aPledgeIsPlacedWithItsDeposit() async throws {
        let api = try InProcessAPI(), id = try api.campaign()
        let placed = await api.pledge(id, pledge, key: "k1")
        #expect(placed.status == 201 && placed.json?["deposit_minor"] == 300)
        #expect(placed.headers["Location"] == "/v1/pledges/\(placed.json!["id"]!.serialized)")
    }

    @Test func aRetryWithTheSameKeyAnswersTheFirstPledge() async throws {
        let api = try InProcessAPI(), id = try api.campaign()
        let first = await api.pledge(id, pledge, key: "k1")
        let replay = await api.pledge(id, pledge, key: "k1")
        #expect(replay.status == 201 && replay.json?["id"] == first.json?["id"] && replay.headers["Idempotent-Replayed"] == "true")
        #expect(try api.app.campaign(id: id).runBlocking().pledgedQuantity == 3)
    }

    @Test func anotherBodyUnderTheSameKeyIsAConflict() async throws {
        let api = try InProcessAPI(), id = try api.campaign()
        _ = await api.pledge(id, pledge, key: "k1")
        let conflict = await api.pledge(id, #"{"consumer_id":"alice","quantity":4}"#, key: "k1")
        #expect(conflict.status == 409 && conflict.json?["error"]?["code"] == "idempotency_conflict")
    }

    @Test func aPledgeWithoutAKeyIsRefused() async throws {
        let api = try InProcessAPI(), id = try api.campaign()
        let refused = await api.pledge(id, pledge, key: nil)
        #expect(refused.status == 400 && refused.json?["error"]?["code"] == "idempotency_key_required")
    }

    @Test func aFieldOfTheWrongTypeIs422AndMalformedJSONIs400() async throws {
        let api = try InProcessAPI(), id = try api.campaign()
        let wrongType = await api.pledge(id, #"{"consumer_id":"a","quantity":"3"}"#, key: "k2")
        #expect(wrongType.status == 422 && wrongType.json?["error"]?["code"] == "invalid_field")
        let malformed = await api.pledge(id, #"{"consumer_id":"#, key: "k3")
        #expect(malformed.status == 400 && malformed.json?["error"]?["code"] == "malformed_json")
    }

    @Test func aCancelledPledgeLeavesTheCampaignsCount() async throws {
        let api = try InProcessAPI(), id = try api.campaign()
        let placed = await api.pledge(id, pledge, key: "k1")
        let cancelled = await api.call("POST", "/v1/pledges/\(placed.json!["id"]!.serialized)/cancel", token: api.storefront)
        #expect(cancelled.status == 200 && cancelled.json?["status"] == "cancelled")
        #expect(await api.call("GET", "/v1/campaigns/\(id)").json?["pledged_quantity"] == 0)
    }

    @Test func aClosedCampaignRefusesPledges() async throws {
        let api = try InProcessAPI(), id = try api.campaign()
        #expect(await api.call("POST", "/v1/campaigns/\(id)/close", token: api.admin).json?["campaign"]?["status"] == "failed")
        let late = await api.pledge(id, pledge, key: "k9")
        #expect(late.status == 409 && late.json?["error"]?["code"] == "campaign_closed")
    }

    @Test func anUnknownCampaignIs404() async throws {
        let api = try InProcessAPI()
        #expect(await api.call("GET", "/v1/campaigns/999").status == 404)
        #expect(await api.pledge(999, pledge, key: "k").status == 404)
    }

    @Test func onlyTheStorefrontAndAdminMayPledge() async throws {
        let api = try InProcessAPI(), id = try api.campaign()
        #expect(await api.call("POST", "/v1/campaigns/\(id)/pledges", body: pledge).status == 401)
        #expect(await api.call("POST", "/v1/campaigns/\(id)/pledges", token: "tuan_nope", body: pledge).status == 401)
        #expect(await api.call("POST", "/v1/campaigns/\(id)/pledges", token: api.planner, body: pledge,
                               headers: [("Idempotency-Key", "x")]).status == 403)
        #expect(await api.call("POST", "/v1/campaigns/\(id)/pledges", token: api.admin, body: pledge,
                               headers: [("Idempotency-Key", "y")]).status == 201)
    }
}
