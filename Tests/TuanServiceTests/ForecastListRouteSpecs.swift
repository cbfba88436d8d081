import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanTesting

/// The all-at-once forecast routes (issue 24): pages of plans by SKU, CSV, every live
/// campaign's projection, and their refusals. In process.
@Suite struct ForecastListRouteSpecs {
    @Test func plansComeByThePageAndLiveCampaignsAllAtOnce() async throws {
        let api = try InProcessAPI()
        let seed = Seed(api.app, at: api.now.adding(seconds: -3_600))
        for sku in ["apple", "pear", "plum"] { try seed.product(sku: sku) }
        let campaign = try seed.campaign(sku: "pear", existingProduct: true, threshold: 5)
        try seed.pledge(campaign.id, "ann", 3)
        let first = await api.call("GET", "/v1/forecasts/skus?limit=2&weeks=4", token: api.planner)
        #expect(first.status == 200, "\(first.text)")
        #expect(first.json?["plans"]?.arrayValue?.compactMap { $0["sku"]?.stringValue } == ["apple", "pear"])
        #expect(first.json?["plans"]?[0]?["weeks"]?.arrayValue?.count == 4 && first.json?["next_after"] == "pear")
        let second = await api.call("GET", "/v1/forecasts/skus?limit=2&after=pear", token: api.admin)
        #expect(second.json?["plans"]?.arrayValue?.compactMap { $0["sku"]?.stringValue } == ["plum"] && second.json?["next_after"] == .null)
        let pear = await api.call("GET", "/v1/forecasts/skus/pear?weeks=4", token: api.planner)
        #expect(first.json?["plans"]?[1] == pear.json, "the page's plan is the SKU's own")
        let csv = await api.call("GET", "/v1/forecasts/skus.csv?weeks=2", token: api.planner)
        #expect(csv.status == 200 && csv.text.hasPrefix("sku,week_start,") && csv.text.split(whereSeparator: \.isNewline).count == 1 + 3 * 2)
        let campaigns = await api.call("GET", "/v1/forecasts/campaigns", token: api.planner)
        #expect(campaigns.json?["campaigns"]?.arrayValue?.compactMap { $0["campaign_id"]?.intValue } == [campaign.id])
        #expect(campaigns.json?["campaigns"]?[0]?["committed_units"] == .int(3))
        // At their bounds they answer.
        for good in ["limit=1000", "limit=1", "weeks=52", "weeks=1"] {
            #expect(await api.call("GET", "/v1/forecasts/skus?\(good)", token: api.planner).status == 200, "\(good)")
        }
        for bad in ["limit=0", "limit=1001", "weeks=0", "weeks=53", "supplier_id=x"] {
            #expect(await api.call("GET", "/v1/forecasts/skus?\(bad)", token: api.planner).status == 422, "\(bad)")
        }
        for path in ["/v1/forecasts/skus", "/v1/forecasts/skus.csv", "/v1/forecasts/campaigns"] {
            #expect(await api.call("GET", path, token: api.storefront).status == 403)
            #expect(await api.call("GET", path).status == 401)
        }
    }
}
