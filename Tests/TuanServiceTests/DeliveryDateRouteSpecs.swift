import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanTesting

/// Delivery dates (issue 23, part): a campaign's own, or its product's lead time after the
/// close; next-day delivery end to end, and the SKU plan counts demand in the delivery week.
@Suite struct DeliveryDateRouteSpecs {
    func catalog(_ api: InProcessAPI, leadDays: Int? = nil) async throws {
        _ = try await api.create("/v1/suppliers", #"{"name":"Farm"}"#)
        let lead = leadDays.map { #","lead_days":\#($0)"# } ?? ""
        let product = await api.call("POST", "/v1/products", token: api.admin,
                                     body: #"{"sku":"eggs","supplier_id":1,"name":"Eggs","unit_cost_minor":300\#(lead)}"#)
        #expect(product.status == 201 && product.json?["lead_days"] == (leadDays.map { .int(Int64($0)) } ?? .null), "\(product.text)")
    }

    func campaign(_ api: InProcessAPI, extra: String = "") async -> InProcessAPI.Reply {
        let opens = api.now.adding(seconds: -60).rfc3339, closes = api.now.adding(seconds: 3_600).rfc3339
        return await api.call("POST", "/v1/campaigns", token: api.admin, body: """
            {"sku":"eggs","title":"Eggs","opens_at":"\(opens)","closes_at":"\(closes)","threshold":1,"tiers":[{"min_quantity":1,"unit_price_minor":500}]\(extra)}
            """)
    }

    func closeWithOnePledge(_ api: InProcessAPI, _ id: Int64) async throws -> PurchaseOrder {
        #expect(await api.pledge(id, #"{"consumer_id":"ann","quantity":2}"#).status == 201)
        return try #require(try api.app.closeCampaign(id: id, reason: .closed, at: api.now.adding(seconds: 3_600)).runBlocking().purchaseOrder)
    }

    @Test func aProductsLeadTimeOfOneDayOrdersForTheNextDay() async throws {
        let api = try InProcessAPI()
        try await catalog(api, leadDays: 1)
        let created = await campaign(api)
        let id = try #require(created.json?["id"]?.intValue)
        #expect(created.json?["delivery_at"] == nil)
        let order = try await closeWithOnePledge(api, id)
        #expect(order.requestedDeliveryAt == api.now.adding(seconds: 3_600).adding(days: 1))
    }

    @Test func aCampaignsOwnDeliveryDateWinsAndIsCheckedAgainstItsClose() async throws {
        let api = try InProcessAPI()
        try await catalog(api)
        // Close at 23:00, deliver the next afternoon.
        let tomorrow = api.now.adding(seconds: 3_600 + 15 * 3_600)
        let created = await campaign(api, extra: #","delivery_at":"\#(tomorrow.rfc3339)""#)
        #expect(created.status == 201 && created.json?["delivery_at"] == .string(tomorrow.rfc3339), "\(created.text)")
        let order = try await closeWithOnePledge(api, try #require(created.json?["id"]?.intValue))
        #expect(order.requestedDeliveryAt == tomorrow)
        let early = await campaign(api, extra: #","delivery_at":"\#(api.now.rfc3339)""#)
        #expect(early.status == 422 && early.field == "delivery_at")
        #expect(await api.call("POST", "/v1/products", token: api.admin,
                               body: #"{"sku":"x","supplier_id":1,"name":"X","unit_cost_minor":1,"lead_days":366}"#).status == 422)
        // Without either, as before: 14 days after the close.
        let plain = try await closeWithOnePledge(api, try #require(await campaign(api).json?["id"]?.intValue))
        #expect(plain.requestedDeliveryAt == api.now.adding(seconds: 3_600).adding(days: 14))
    }

    @Test func theSKUPlanCountsFirmDemandInTheDeliveryWeek() async throws {
        let api = try InProcessAPI()
        try await catalog(api, leadDays: 1)
        let id = try #require(await campaign(api).json?["id"]?.intValue)
        _ = try await closeWithOnePledge(api, id)
        api.clock.now = api.now.adding(seconds: 7_200)
        let plan = await api.call("GET", "/v1/forecasts/skus/eggs?weeks=4", token: api.planner)
        let weeks = plan.json?["weeks"]?.arrayValue ?? []
        func firm(at instant: Timestamp) -> Double {
            let start = Timestamp(seconds: Week.start(of: instant.seconds)).rfc3339
            switch weeks.first(where: { $0["week_start"] == .string(start) })?["firm_units"] {
            case .int(let v)?: return Double(v)
            case .double(let v)?: return v
            default: return -1
            }
        }
        // Due the next day, not two weeks on (paid or likely to pay: conversion applies).
        #expect(firm(at: api.now.adding(days: 1)) > 0 && firm(at: api.now.adding(days: 15)) == 0, "\(plan.text.prefix(500))")
    }
}
