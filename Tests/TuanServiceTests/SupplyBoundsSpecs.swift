import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanTesting

/// The new amounts and quantities at their documented bounds: accepted at the bound, refused one past it.
@Suite struct SupplyBoundsSpecs {
    @Test func productsTakeTheirRulesAtTheBounds() async throws {
        let api = try InProcessAPI()
        _ = try await api.create("/v1/suppliers", #"{"name":"Farm"}"#)
        for (index, (extra, status)) in [(#""lead_days":0"#, 201), (#""lead_days":365"#, 201), (#""lead_days":366"#, 422), (#""lead_days":-1"#, 422),
                                         (#""rounding":"nearest","rounding_tolerance":1000000"#, 201),
                                         (#""rounding":"nearest","rounding_tolerance":1000001"#, 422),
                                         (#""rounding":"nearest","rounding_tolerance":-1"#, 422)].enumerated() {
            let reply = await api.call("POST", "/v1/products", token: api.admin,
                                       body: #"{"sku":"p\#(index)","supplier_id":1,"name":"P","unit_cost_minor":1,\#(extra)}"#)
            #expect(reply.status == status, "\(extra): \(reply.text)")
        }
    }

    @Test func anItemsPriceDifferenceMayReachTheUnitBoundAndNoFurther() async throws {
        let api = try InProcessAPI()
        _ = try await api.create("/v1/suppliers", #"{"name":"Farm"}"#)
        _ = await api.call("POST", "/v1/products", token: api.admin, body: #"{"sku":"a","supplier_id":1,"name":"A","unit_cost_minor":1}"#)
        let closes = api.now.adding(days: 3).rfc3339
        for (delta, status) in [(Bounds.unitAmountMinor - 100, 201), (Bounds.unitAmountMinor - 99, 422)] {
            let reply = await api.call("POST", "/v1/campaigns", token: api.admin, body: """
                {"title":"T","closes_at":"\(closes)","threshold":1,"tiers":[{"min_quantity":1,"unit_price_minor":100}],
                 "items":[{"sku":"a","price_delta_minor":\(delta),"cap":\(Bounds.campaignUnits)}]}
                """)
            #expect(reply.status == status, "\(delta): \(reply.text)")
        }
    }

    @Test func listsTakeTheirWindowsAtTheBounds() async throws {
        let api = try InProcessAPI()
        _ = await api.call("POST", "/v1/leaders", token: api.admin, body: #"{"code":"wang","name":"W","pickup_point":"Gate","commission_bps":0}"#)
        let leader = try api.token(for: Principal(role: .leader, leaderID: 1))
        for (days, status) in [(3650, 200), (3651, 422), (-1, 422)] {
            #expect(await api.call("GET", "/v1/pickups?older_than_days=\(days)", token: leader).status == status, "\(days)")
        }
        for (days, status) in [(1, 200), (60, 200), (61, 422), (0, 422)] {
            #expect(await api.call("GET", "/v1/pickup-points/1?days=\(days)", token: api.planner).status == status, "\(days)")
        }
        for (capacity, status) in [(Bounds.campaignUnits, 201), (Bounds.campaignUnits + 1, 422)] {
            #expect(await api.call("POST", "/v1/pickup-points", token: api.admin,
                                   body: #"{"name":"P\#(capacity)","capacity_per_day":\#(capacity)}"#).status == status, "\(capacity)")
        }
    }
}
