import Foundation
import Testing
import TuanTesting
import TuanDomain
import TuanForecast
@testable import TuanSQLite
import TuanStore
@testable import TuanService

/// Per-item forecasts over a simulated history of campaigns of items (two styles of jacket,
/// 2 colours × 4 sizes each) in a real SQLite file, over loopback.
@Suite struct ItemForecastTests {
    static let now: Int64 = 1_790_000_000

    static func simulated() async throws -> LiveService {
        try await offPool {
            Result {
                let service = try LiveService(delivery: nil, clock: { Timestamp(seconds: now) })
                var parameters = SyntheticMarket.Parameters(now: now)
                parameters.skus = 0
                parameters.styles = 2
                parameters.weeks = 20
                let summary = try SimulationLoader(app: service.app, market: SyntheticMarket(parameters), now: now).load { _, _, _ in }
                #expect(summary.succeeded > 0 && summary.open > 0)
                return service
            }
        }.get()
    }

    @Test func anOpenCampaignOfItemsProjectsEachItemFromItsStylesSizeCurve() async throws {
        let s = try await Self.simulated()
        defer { s.stop() }
        let openID = try s.store.readSync { db in try (db.campaigns(status: .open) + db.campaigns(status: .tipped)).first!.id }
        let reply = await s.call("GET", "/v1/forecasts/campaigns/\(openID)", token: s.planner)
        let json = try #require(reply.json, "\(reply.status) \(reply.text)")
        let items = json["items"]?.arrayValue ?? []
        #expect(items.count == 8 && json["size_mix"]?["source"] == "style", "\(reply.text.prefix(400))")
        #expect((ForecastAPITests.number(json["size_mix"]?["history_campaigns"]) ?? 0) >= 2)
        // The items' means add up to the total's mean; each item's band holds what it has.
        let means = items.compactMap { ForecastAPITests.number($0["final_units"]?["mean"]) }
        let total = try #require(ForecastAPITests.number(json["final_units"]?["mean"]))
        #expect(abs(means.reduce(0, +) - total) < 1.5, "items \(means.reduce(0, +)) vs total \(total)")
        for item in items {
            let committed = try #require(ForecastAPITests.number(item["committed_units"]))
            let p10 = try #require(ForecastAPITests.number(item["final_units"]?["p10"])), p90 = try #require(ForecastAPITests.number(item["final_units"]?["p90"]))
            #expect(committed <= p10 + 0.05 && p10 <= p90)
        }
        let shares = items.compactMap { ForecastAPITests.number($0["share"]) }
        #expect(abs(shares.reduce(0, +) - 1) < 0.01)
    }

    @Test func aVariantSKUHasItsOwnPlanAndBullwhipMeasure() async throws {
        let s = try await Self.simulated()
        defer { s.stop() }
        let reply = await s.call("GET", "/v1/forecasts/skus/jacket-1-red-m", token: s.planner)
        let json = try #require(reply.json, "\(reply.status) \(reply.text)")
        let demand = (json["bullwhip"]?["demand"]?.arrayValue ?? []).compactMap(ForecastAPITests.number)
        let orders = (json["bullwhip"]?["orders"]?.arrayValue ?? []).compactMap(ForecastAPITests.number)
        #expect(demand.reduce(0, +) > 0 && orders.reduce(0, +) > 0, "\(reply.text.prefix(600))")
        // Its demand is its own lines, not the whole campaign's: less than the style's first SKU's campaigns held.
        let whole = try s.store.readSync { db in
            try db.campaignHistories(category: nil, sku: nil, statuses: [.succeeded], id: nil).filter { $0.sku == "jacket-1-navy-s" }
                .reduce(0) { $0 + $1.pledges.filter { $0.status != .cancelled }.reduce(0) { $0 + $1.units } }
        }
        #expect(demand.reduce(0, +) < Double(whole))
        #expect(json["bullwhip"]?["classic_order_up_to"] != nil)
    }
}
