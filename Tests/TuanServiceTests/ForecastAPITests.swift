import Foundation
import Testing
import TuanTesting
import TuanDomain
import TuanForecast
@testable import TuanSQLite
import TuanStore
@testable import TuanService

/// Forecast endpoints over a real simulated history in a real SQLite file, over loopback.
@Suite struct ForecastAPITests {
    static let now: Int64 = 1_790_000_000

    /// Loading blocks on the store's writer, so it runs on its own thread, not the test pool.
    static func simulated() async throws -> LiveService {
        try await offPool { Result { try load() } }.get()
    }

    static func load() throws -> LiveService {
        let service = try LiveService(delivery: nil, clock: { Timestamp(seconds: now) })
        var parameters = SyntheticMarket.Parameters(now: now)
        parameters.skus = 8
        parameters.weeks = 16
        let summary = try SimulationLoader(app: service.app, market: SyntheticMarket(parameters), now: now).load { _, _, _ in }
        #expect(summary.open > 0 && summary.succeeded > 0 && summary.failed > 0)
        return service
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let v)?: Double(v)
        case .double(let v)?: v
        default: nil
        }
    }

    @Test func campaignForecastForPlannersInJSONAndCSV() async throws {
        let s = try await Self.simulated()
        defer { s.stop() }
        let openID = try s.store.readSync { db in try db.campaigns(status: .open).first?.id ?? db.campaigns(status: .tipped).first!.id }

        let reply = await s.call("GET", "/v1/forecasts/campaigns/\(openID)", token: s.planner)
        #expect(reply.status == 200)
        let json = try #require(reply.json)
        // Whole-valued decimals are written as integers, so read numbers either way.
        guard let p10 = Self.number(json["final_units"]?["p10"]), let p90 = Self.number(json["final_units"]?["p90"]),
              let tip = Self.number(json["tip_probability"]) else {
            Issue.record("missing fields: \(reply.text)"); return
        }
        #expect(p10 <= p90 && (0...1).contains(tip))
        #expect((Self.number(json["model"]?["history_campaigns"]) ?? 0) > 0)
        #expect(json["model"]?["prior_only"] == .bool(false))
        guard case .array(let path)? = json["path"] else { Issue.record("no path"); return }
        #expect(path.count == 12)

        let csv = await s.call("GET", "/v1/forecasts/campaigns/\(openID).csv", token: s.admin)
        #expect(csv.status == 200 && csv.headers["content-type"]?.hasPrefix("text/csv") == true)
        #expect(csv.text.hasPrefix("campaign_id,kind,at,elapsed"))
        #expect(csv.text.contains(",projected,"))

        #expect(await s.call("GET", "/v1/forecasts/campaigns/\(openID)", token: s.storefront).status == 403)
        #expect(await s.call("GET", "/v1/forecasts/campaigns/\(openID)").status == 401)
        let missing = await s.call("GET", "/v1/forecasts/campaigns/999999", token: s.planner)
        #expect(missing.status == 404 && missing.json?["error"]?["code"] == .string("not_found"))
    }

    @Test func skuPlanWithBullwhipMeasures() async throws {
        let s = try await Self.simulated()
        defer { s.stop() }
        let sku = try s.store.readSync { db in try db.products()[0].sku }
        let reply = await s.call("GET", "/v1/forecasts/skus/\(sku)?weeks=4", token: s.planner)
        #expect(reply.status == 200)
        guard case .array(let weeks)? = reply.json?["weeks"] else { Issue.record("no weeks: \(reply.text)"); return }
        #expect(weeks.count == 4)
        #expect((Self.number(reply.json?["bullwhip"]?["classic_order_up_to"]) ?? 0) > 0)

        let csv = await s.call("GET", "/v1/forecasts/skus/\(sku)", token: s.planner, headers: ["Accept": "text/csv"])
        #expect(csv.status == 200 && csv.text.split(separator: "\r\n").count == 9)   // header + 8 weeks
        #expect(await s.call("GET", "/v1/forecasts/skus/\(sku)?weeks=0", token: s.planner).status == 422)
        #expect(await s.call("GET", "/v1/forecasts/skus/no-such-sku", token: s.planner).status == 404)
    }

    @Test func simulateRefusesADatabaseWithProducts() async throws {
        let s = try await Self.simulated()
        defer { s.stop() }
        var parameters = SyntheticMarket.Parameters(now: Self.now)
        parameters.skus = 1
        #expect(throws: DomainError.self) {
            try SimulationLoader(app: s.app, market: SyntheticMarket(parameters), now: Self.now).load { _, _, _ in }
        }
    }
}
