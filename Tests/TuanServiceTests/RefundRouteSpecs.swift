import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanTesting

/// Refunds as obligations: every refund Tuan decides is a record due through `refunds_payable`
/// until the storefront reports it paid (`POST /v1/refunds/{id}/complete`), one behaviour each.
@Suite struct RefundRouteSpecs {
    func campaign(_ api: InProcessAPI, threshold: Int = 1_000, forfeit: Bool = true) async throws -> Int64 {
        try await api.catalog()
        return try await api.create("/v1/campaigns", """
            {"sku":"tea","title":"Tea","closes_at":"2099-01-01T00:00:00Z","threshold":\(threshold),"deposit_per_unit_minor":100,
             "forfeit_deposit_on_default":\(forfeit),"tiers":[{"min_quantity":1,"unit_price_minor":1000}]}
            """)
    }

    func due(_ api: InProcessAPI) async -> [JSONValue] {
        await api.call("GET", "/v1/refunds?status=due&limit=500", token: api.storefront).json?["refunds"]?.arrayValue ?? []
    }

    func complete(_ api: InProcessAPI, _ id: Int64, _ reference: String = "wx-refund-1", token: String? = nil) async -> InProcessAPI.Reply {
        await api.call("POST", "/v1/refunds/\(id)/complete", token: token ?? api.storefront, body: #"{"reference":"\#(reference)"}"#)
    }

    @Test func aFailedCampaignOwesEveryDepositUntilTheStorefrontPaysItOut() async throws {
        let api = try InProcessAPI(), id = try await campaign(api)
        for n in 0..<50 { #expect(await api.pledge(id, #"{"consumer_id":"c\#(n)","quantity":2}"#).status == 201) }
        let closed = await api.call("POST", "/v1/campaigns/\(id)/close", token: api.admin)
        #expect(closed.json?["campaign"]?["status"] == "failed")
        let owed = await due(api)
        #expect(owed.count == 50 && owed.allSatisfy { $0["amount_minor"] == 200 && $0["reason"] == "deposit_refunded" })
        for refund in owed.prefix(30) {
            #expect(await complete(api, refund["id"]!.intValue!, "wx-\(refund["id"]!.intValue!)").json?["status"] == "completed")
        }
        #expect(await due(api).count == 20)
        let audit = try api.app.ledgerAudit().runBlocking()
        #expect(audit.running.balance(.refundsPayable, currency: "CNY") == -20 * 200 && audit.refundsDue["CNY"] == 20 * 200)
        #expect(audit.running.balance(.cash, currency: "CNY") == 20 * 200 && audit.running.escrowHeld(currency: "CNY") == 0)
        try api.expectLedgerConsistent()
        let paidOut = await api.call("GET", "/v1/refunds?status=completed", token: api.admin).json?["refunds"]?.arrayValue ?? []
        #expect(paidOut.count == 30 && paidOut.allSatisfy { $0["reference"]?.stringValue?.hasPrefix("wx-") == true })
    }

    @Test func completingIsIdempotentPerReference() async throws {
        let api = try InProcessAPI(), id = try await campaign(api)
        _ = await api.pledge(id, #"{"consumer_id":"alice","quantity":2}"#)
        _ = await api.call("POST", "/v1/campaigns/\(id)/close", token: api.admin)
        let refund = try #require(await due(api).first?["id"]?.intValue)
        #expect(await complete(api, refund).status == 200)
        let again = await complete(api, refund)
        #expect(again.status == 200 && again.json?["status"] == "completed")
        let other = await complete(api, refund, "another")
        #expect(other.status == 409 && other.json?["error"]?["code"] == "refund_completed")
        #expect(try api.app.ledgerAudit().runBlocking().running.balance(.cash, currency: "CNY") == 0)
        #expect(await complete(api, 999).status == 404)
        #expect(await complete(api, refund, "").status == 422)
        #expect(await complete(api, refund, String(repeating: "r", count: 201)).status == 422)
        try api.expectLedgerConsistent()
    }

    @Test func everyRefundTuanDecidesIsOnRecord() async throws {
        let api = try InProcessAPI(), id = try await campaign(api, threshold: 3, forfeit: false)
        // A cancellation returns the deposit.
        let cancelled = try #require(await api.pledge(id, #"{"consumer_id":"ann","quantity":1}"#).json?["id"]?.intValue)
        _ = await api.call("POST", "/v1/pledges/\(cancelled)/cancel", token: api.storefront)
        // A default under a refund rule returns it too.
        let defaults = try #require(await api.pledge(id, #"{"consumer_id":"bo","quantity":3}"#).json?["id"]?.intValue)
        _ = await api.call("POST", "/v1/campaigns/\(id)/close", token: api.admin)
        let due = try api.app.campaign(id: id).runBlocking().balanceDueAt
        _ = try api.app.defaultPledge(id: defaults, at: due).runBlocking()
        let refunds = await self.due(api)
        #expect(Set(refunds.compactMap { $0["pledge_id"]?.intValue }) == [cancelled, defaults])
        #expect(refunds.allSatisfy { $0["status"] == "due" })
        let view = await api.call("GET", "/v1/consumers/bo/pledges", token: api.storefront)
        #expect(view.json?["pledges"]?.arrayValue?.first?["refunds"]?.arrayValue?.first?["amount_minor"] == 300)
        try api.expectLedgerConsistent()
    }

    @Test func onlyStorefrontsAndAdminsSeeAndCompleteRefunds() async throws {
        let api = try InProcessAPI()
        try await api.catalog()
        let supplier = try api.token(for: Principal(role: .supplier, supplierID: 1))
        #expect(await api.call("GET", "/v1/refunds").status == 401)
        #expect(await api.call("GET", "/v1/refunds", token: api.planner).status == 403)
        #expect(await api.call("GET", "/v1/refunds", token: supplier).status == 403)
        #expect(await complete(api, 1, token: api.planner).status == 403)
        #expect(await complete(api, 1, token: supplier).status == 403)
        #expect(await api.call("GET", "/v1/refunds?status=owed", token: api.admin).status == 422)
        #expect(await api.call("GET", "/v1/refunds?limit=501", token: api.admin).status == 422)
        #expect(await api.call("GET", "/v1/refunds?limit=500", token: api.admin).status == 200)
    }
}
