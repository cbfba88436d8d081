import Testing
import TuanDomain

/// Group leaders: registering them, pledges through them, their pick lists and commissions,
/// one behaviour each, through the router in process.
@Suite struct LeaderRouteSpecs {
    static let ann = #"{"code":"ann","name":"Ann","pickup_point":"Block 3 lobby","commission_bps":500}"#
    static let bo = #"{"code":"bo","name":"Bo","pickup_point":"Bo's shop","commission_bps":1000,"member_limit":2}"#
    static let tea = """
        {"sku":"tea","title":"Tea","closes_at":"2099-01-01T00:00:00Z","threshold":5,"max_per_pledge":5,
         "tiers":[{"min_quantity":1,"unit_price_minor":1000}],"deposit_per_unit_minor":100}
        """

    /// The catalogue, Ann and Bo, and a tea campaign at 10.00 a unit tipping at five.
    func leadersAndCampaign() async throws -> (InProcessAPI, Int64) {
        let api = try InProcessAPI()
        try await api.catalog()
        _ = try await api.create("/v1/leaders", Self.ann)
        _ = try await api.create("/v1/leaders", Self.bo)
        return (api, try await api.create("/v1/campaigns", Self.tea))
    }

    /// Ann's pledges (2 at her point, 1 elsewhere), Bo's three (3, 1, 2), and a direct 4.
    func pledgesThroughBoth(_ api: InProcessAPI, _ campaign: Int64) async {
        _ = await api.pledge(campaign, #"{"consumer_id":"a1","quantity":2,"leader_code":"ann"}"#)
        _ = await api.pledge(campaign, #"{"consumer_id":"a2","quantity":1,"leader_code":"ann","pickup_point":"Gate B"}"#)
        for (i, quantity) in [3, 1, 2].enumerated() {
            _ = await api.pledge(campaign, #"{"consumer_id":"b\#(i)","quantity":\#(quantity),"leader_code":"bo"}"#)
        }
        _ = await api.pledge(campaign, #"{"consumer_id":"direct","quantity":4}"#)
    }

    @Test func aLeaderIsRegisteredWithTheDefaultMemberLimit() async throws {
        let api = try InProcessAPI()
        let ann = await api.call("POST", "/v1/leaders", token: api.admin, body: Self.ann)
        #expect(ann.status == 201 && ann.json?["member_limit"] == 500)
        #expect(await api.call("POST", "/v1/leaders", token: api.admin, body: Self.bo).json?["member_limit"] == 2)
    }

    @Test func aTakenLeaderCodeIsAConflict() async throws {
        let api = try InProcessAPI()
        _ = try await api.create("/v1/leaders", Self.ann)
        let again = await api.call("POST", "/v1/leaders", token: api.admin, body: #"{"code":"ann","name":"A","pickup_point":"P","commission_bps":1}"#)
        #expect(again.status == 409)
    }

    @Test func aCommissionAboveTheBoundIsRefusedByField() async throws {
        let api = try InProcessAPI()
        let badRate = await api.call("POST", "/v1/leaders", token: api.admin, body: #"{"code":"cy","name":"C","pickup_point":"P","commission_bps":9000}"#)
        #expect(badRate.status == 422 && badRate.json?["error"]?["message"]?.stringValue?.hasPrefix("commission_bps") == true)
    }

    @Test func onlyAnAdminRegistersLeaders() async throws {
        let api = try InProcessAPI()
        #expect(await api.call("POST", "/v1/leaders", token: api.storefront, body: "{}").status == 403)
        #expect(await api.call("POST", "/v1/leaders", token: api.planner, body: Self.ann).status == 403)
        #expect(await api.call("POST", "/v1/leaders", body: Self.ann).status == 401)
    }

    @Test func aPledgeThroughALeaderTakesTheLeadersPickupPointUnlessItNamesOne() async throws {
        let (api, campaign) = try await leadersAndCampaign()
        let own = await api.pledge(campaign, #"{"consumer_id":"a1","quantity":2,"leader_code":"ann"}"#)
        #expect(own.status == 201 && own.json?["pickup_point"] == "Block 3 lobby")
        let named = await api.pledge(campaign, #"{"consumer_id":"a2","quantity":1,"leader_code":"ann","pickup_point":"Gate B"}"#)
        #expect(named.status == 201 && named.json?["pickup_point"] == "Gate B")
    }

    @Test func anUnknownLeaderCodeIsRefusedByField() async throws {
        let (api, campaign) = try await leadersAndCampaign()
        let unknown = await api.pledge(campaign, #"{"consumer_id":"x","quantity":1,"leader_code":"nobody"}"#)
        #expect(unknown.status == 422 && unknown.json?["error"]?["code"] == "invalid_field")
    }

    @Test func aPickListOverTheMemberLimitIsFlaggedAndKeepsEveryPledge() async throws {
        let (api, campaign) = try await leadersAndCampaign()
        await pledgesThroughBoth(api, campaign)
        let boList = await api.call("GET", "/v1/leaders/2/pick-list?campaign=\(campaign)", token: api.storefront)
        #expect(boList.json?["exceeds_member_limit"] == true && boList.json?["entries"]?.arrayValue?.count == 3)
    }

    @Test func aPickListNeedsACampaignAndAKnownLeader() async throws {
        let (api, campaign) = try await leadersAndCampaign()
        #expect(await api.call("GET", "/v1/leaders/2/pick-list", token: api.storefront).status == 422)
        #expect(await api.call("GET", "/v1/leaders/9/pick-list?campaign=\(campaign)", token: api.storefront).status == 404)
    }

    @Test func pickListsAddUpToThePurchaseOrdersDestinations() async throws {
        let (api, campaign) = try await leadersAndCampaign()
        await pledgesThroughBoth(api, campaign)
        let closed = await api.call("POST", "/v1/campaigns/\(campaign)/close", token: api.admin)
        #expect(closed.json?["campaign"]?["status"] == "succeeded")
        let orderID = closed.json?["purchase_order"]?["id"]?.intValue ?? 0
        let order = await api.call("GET", "/v1/purchase-orders/\(orderID)", token: api.planner)
        var byLeader: [String: Int64] = [:]
        for destination in order.json?["lines"]?[0]?["destinations"]?.arrayValue ?? [] {
            byLeader[destination["leader_code"]?.stringValue ?? "", default: 0] += destination["quantity"]?.intValue ?? 0
        }
        #expect(byLeader.values.reduce(0, +) == order.json?["lines"]?[0]?["confirmed_quantity"]?.intValue)
        for (id, code, units) in [(1, "ann", Int64(3)), (2, "bo", Int64(6))] {
            let list = await api.call("GET", "/v1/leaders/\(id)/pick-list?campaign=\(campaign)", token: api.planner)
            let sum = (list.json?["entries"]?.arrayValue ?? []).reduce(Int64(0)) { $0 + ($1["quantity"]?.intValue ?? 0) }
            #expect(sum == units && list.json?["total_quantity"]?.intValue == units)
            #expect(byLeader[code] == sum, "pick list of \(code) matches the order's destinations")
        }
    }

    @Test func aPickListDownloadsAsCSV() async throws {
        let (api, campaign) = try await leadersAndCampaign()
        await pledgesThroughBoth(api, campaign)
        let csv = await api.call("GET", "/v1/leaders/1/pick-list.csv?campaign=\(campaign)", token: api.planner)
        #expect(csv.status == 200 && csv.text.hasPrefix("consumer_id,quantity,pickup_point") && csv.text.contains("a2,1,Gate B"))
    }

    @Test func leadersEarnTheirRateOnWhatTheirGroupBought() async throws {
        let (api, campaign) = try await leadersAndCampaign()
        await pledgesThroughBoth(api, campaign)
        _ = await api.call("POST", "/v1/campaigns/\(campaign)/close", token: api.admin)
        // 5% of 3 × 10.00 for Ann; 10% of 6 × 10.00 for Bo.
        #expect(await api.call("GET", "/v1/leaders/1", token: api.planner).json?["commission_earned_minor"]?["CNY"] == 150)
        #expect(await api.call("GET", "/v1/leaders/2", token: api.planner).json?["commission_earned_minor"]?["CNY"] == 600)
        try api.expectLedgerConsistent()
    }

    @Test func aDefaultReversesTheLeadersCommissionOnIt() async throws {
        let (api, campaign) = try await leadersAndCampaign()
        await pledgesThroughBoth(api, campaign)
        _ = await api.call("POST", "/v1/campaigns/\(campaign)/close", token: api.admin)
        let b0 = try api.app.pledges(campaignID: campaign).runBlocking().first { $0.consumerID == "b0" }!
        let due = try api.app.campaign(id: campaign).runBlocking().balanceDueAt
        _ = try api.app.defaultPledge(id: b0.id, at: due).runBlocking()
        // Bo's 10% of 3 × 10.00 on it is reversed: 600 − 300.
        #expect(await api.call("GET", "/v1/leaders/2", token: api.planner).json?["commission_earned_minor"]?["CNY"] == 300)
        try api.expectLedgerConsistent()
    }
}
