import Testing
import TuanDomain

/// Team buys (拼团): opening a team, joining it, a full or lapsed team, and the team price,
/// one behaviour each, through the router in process.
@Suite struct TeamRouteSpecs {
    static let t0 = Timestamp(rfc3339: "2026-12-01T08:00:00Z")!

    /// A tea campaign at 10.00, or 7.00 in a team of two formed within an hour.
    func teamCampaign() async throws -> (InProcessAPI, Int64) {
        let api = try InProcessAPI(now: Self.t0)
        try await api.catalog()
        let created = await api.call("POST", "/v1/campaigns", token: api.admin, body: """
            {"sku":"tea","title":"Team tea","closes_at":"2026-12-08T08:00:00Z","threshold":2,
             "tiers":[{"min_quantity":1,"unit_price_minor":1000}],"deposit_per_unit_minor":100,
             "team":{"size":2,"window_seconds":3600,"unit_price_minor":700}}
            """)
        #expect(created.json?["team"]?["size"] == 2)
        return (api, try #require(created.json?["id"]?.intValue, "no campaign: \(created.text)"))
    }

    func open(_ api: InProcessAPI, _ campaign: Int64, by consumer: String) async throws -> (reply: InProcessAPI.Reply, code: String) {
        let opened = await api.pledge(campaign, #"{"consumer_id":"\#(consumer)","quantity":1,"open_team":true}"#)
        return (opened, try #require(opened.json?["team"]?["code"]?.stringValue, "no team: \(opened.text)"))
    }

    func join(_ api: InProcessAPI, _ campaign: Int64, _ code: String, as consumer: String) async -> InProcessAPI.Reply {
        await api.pledge(campaign, #"{"consumer_id":"\#(consumer)","quantity":1,"team_code":"\#(code)"}"#)
    }

    @Test func openingATeamGivesItsCodeSpotsAndShareLink() async throws {
        let (api, campaign) = try await teamCampaign()
        let (opened, code) = try await open(api, campaign, by: "alice")
        #expect(opened.json?["team"]?["spots_left"] == 1 && opened.json?["team"]?["share_path"] == .string("/c/\(campaign)?team=\(code)"))
        #expect(await api.call("GET", "/v1/teams/\(code)").json?["status"] == "forming")
    }

    @Test func theLastMemberFillsTheTeam() async throws {
        let (api, campaign) = try await teamCampaign()
        let code = try await open(api, campaign, by: "alice").code
        let joined = await join(api, campaign, code, as: "bob")
        #expect(joined.status == 201 && joined.json?["team"]?["status"] == "filled")
    }

    @Test func aFullTeamRefusesAnotherMember() async throws {
        let (api, campaign) = try await teamCampaign()
        let code = try await open(api, campaign, by: "alice").code
        _ = await join(api, campaign, code, as: "bob")
        let full = await join(api, campaign, code, as: "carol")
        #expect(full.status == 409 && full.json?["error"]?["code"] == "team_closed")
    }

    @Test func openingAndJoiningAtOnceIsRefused() async throws {
        let (api, campaign) = try await teamCampaign()
        let code = try await open(api, campaign, by: "alice").code
        #expect(await api.pledge(campaign, #"{"consumer_id":"carol","quantity":1,"team_code":"\#(code)","open_team":true}"#).status == 422)
    }

    @Test func anUnknownTeamIs404() async throws {
        let (api, campaign) = try await teamCampaign()
        #expect(await join(api, campaign, "TNOPE", as: "carol").status == 404)
    }

    @Test func aTeamUnfilledAtItsWindowExpiresAndRefundsItsPledges() async throws {
        let (api, campaign) = try await teamCampaign()
        let (lonely, code) = try await open(api, campaign, by: "dave")
        #expect(await api.call("GET", "/v1/campaigns/\(campaign)").json?["pledged_quantity"] == 1)
        api.clock.now = Self.t0.adding(seconds: 3_601)
        await api.scheduler.runDueWork()
        #expect(await api.call("GET", "/v1/teams/\(code)").json?["status"] == "expired")
        #expect(await api.call("GET", "/v1/pledges/\(lonely.json?["id"]?.intValue ?? 0)", token: api.planner).json?["status"] == "refunded")
        #expect(await api.call("GET", "/v1/campaigns/\(campaign)").json?["pledged_quantity"] == 0)
        let late = await join(api, campaign, code, as: "erin")
        #expect(late.status == 409 && late.json?["error"]?["code"] == "team_closed")
        try api.expectLedgerConsistent()
    }

    @Test func teamsAndSoloPledgesCloseIntoOneOrderAtTheirOwnPrices() async throws {
        let (api, campaign) = try await teamCampaign()
        let code = try await open(api, campaign, by: "alice").code
        _ = await join(api, campaign, code, as: "bob")
        _ = await api.pledge(campaign, #"{"consumer_id":"solo","quantity":1}"#)
        let closed = await api.call("POST", "/v1/campaigns/\(campaign)/close", token: api.admin)
        #expect(closed.json?["campaign"]?["status"] == "succeeded" && closed.json?["pledges_confirmed"] == 3)
        let orders = await api.call("GET", "/v1/purchase-orders", token: api.planner)
        #expect(orders.json?["purchase_orders"]?.arrayValue?.count == 1)
        #expect(orders.json?["purchase_orders"]?[0]?["lines"]?[0]?["confirmed_quantity"] == 3)
        // Team members pay the team price, the solo buyer the tier price.
        let paid = try api.app.pledges(campaignID: campaign, status: .confirmed).runBlocking()
            .map { try api.app.payBalance(pledgeID: $0.id, at: api.now).runBlocking() }
        #expect(paid.count == 3)
        #expect(try api.app.ledgerBalances().runBlocking().balance(.sales, currency: "CNY") == -(700 + 700 + 1000))
        try api.expectLedgerConsistent()
    }
}
