import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanTesting

/// Pickup points as records (issue 23, part): made by admins or by registering a leader, their
/// load per delivery day against capacity, edits that keep the name. In process.
@Suite struct PickupPointRouteSpecs {
    @Test func aLeadersPointBecomesARecordAndShowsItsLoadAgainstCapacity() async throws {
        let api = try InProcessAPI()
        _ = try await api.create("/v1/suppliers", #"{"name":"Farm"}"#)
        _ = await api.call("POST", "/v1/products", token: api.admin, body: #"{"sku":"eggs","supplier_id":1,"name":"Eggs","unit_cost_minor":300,"lead_days":1}"#)
        _ = await api.call("POST", "/v1/leaders", token: api.admin, body: #"{"code":"wang","name":"Wang","pickup_point":"Gate 3","commission_bps":300}"#)
        let points = await api.call("GET", "/v1/pickup-points", token: api.storefront).json?["pickup_points"]?.arrayValue ?? []
        #expect(points.count == 1 && points.first?["name"] == "Gate 3" && points.first?["leader_id"] == 1, "\(points)")
        let id = try #require(points.first?["id"]?.intValue)
        let edited = await api.call("PATCH", "/v1/pickup-points/\(id)", token: api.admin,
                                    body: #"{"address":"3 Gate Rd","opening_hours":"16:00-20:00","capacity_per_day":5}"#)
        #expect(edited.status == 200 && edited.json?["capacity_per_day"] == 5 && edited.json?["address"] == "3 Gate Rd")
        // 6 units due tomorrow at Gate 3: one over its capacity of 5.
        let opens = api.now.adding(seconds: -60).rfc3339, closes = api.now.adding(seconds: 3_600).rfc3339
        let campaign = try await api.create("/v1/campaigns", """
            {"sku":"eggs","title":"Eggs","opens_at":"\(opens)","closes_at":"\(closes)","threshold":1,"tiers":[{"min_quantity":1,"unit_price_minor":500}]}
            """)
        #expect(await api.pledge(campaign, #"{"consumer_id":"ann","quantity":4,"leader_code":"wang"}"#).status == 201)
        #expect(await api.pledge(campaign, #"{"consumer_id":"bob","quantity":2,"pickup_point":"Gate 3"}"#).status == 201)
        #expect(await api.pledge(campaign, #"{"consumer_id":"cy","quantity":9,"pickup_point":"North"}"#).status == 201)
        let load = await api.call("GET", "/v1/pickup-points/\(id)?days=3", token: api.planner).json?["load"]?.arrayValue ?? []
        #expect(load.count == 1 && load.first?["units"] == 6 && load.first?["over_capacity"] == true, "\(load)")
        #expect(await api.call("GET", "/v1/pickup-points/\(id)?days=0", token: api.planner).status == 422)
    }

    @Test func recordsAreCheckedAndTheirNamesKept() async throws {
        let api = try InProcessAPI()
        let made = await api.call("POST", "/v1/pickup-points", token: api.admin, body: #"{"name":"North","time_zone":"Asia/Shanghai"}"#)
        #expect(made.status == 201 && made.headers["location"] == "/v1/pickup-points/\(made.json?["id"]?.intValue ?? 0)")
        #expect(await api.call("POST", "/v1/pickup-points", token: api.admin, body: #"{"name":"North"}"#).status == 409)
        for body in [#"{"name":""}"#, #"{"name":"X","capacity_per_day":0}"#, #"{"name":"X","time_zone":"Mars/Base"}"#,
                     #"{"name":"X","leader_id":99}"#, #"{"name":"X","colour":"red"}"#] {
            let refused = await api.call("POST", "/v1/pickup-points", token: api.admin, body: body)
            #expect([404, 422].contains(refused.status), "\(body): \(refused.status) \(refused.text)")
        }
        let id = try #require(made.json?["id"]?.intValue)
        #expect(await api.call("PATCH", "/v1/pickup-points/\(id)", token: api.admin, body: #"{"name":"South"}"#).status == 422)
        #expect(await api.call("PATCH", "/v1/pickup-points/999", token: api.admin, body: #"{"address":"x"}"#).status == 404)
        #expect(await api.call("POST", "/v1/pickup-points", token: api.storefront, body: #"{"name":"Y"}"#).status == 403)
        #expect(await api.call("PATCH", "/v1/pickup-points/\(id)", token: api.planner, body: #"{"address":"x"}"#).status == 403)
        let cleared = await api.call("PATCH", "/v1/pickup-points/\(id)", token: api.admin, body: #"{"time_zone":null}"#)
        #expect(cleared.status == 200 && cleared.json?["time_zone"] == .null)
    }
}
