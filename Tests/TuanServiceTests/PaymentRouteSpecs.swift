import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanTesting

/// `POST /v1/pledges/{id}/payments`: a storefront reports a balance payment, one behaviour
/// each, through the router in process. The campaign sells tea at 10.00 with 1.00 down a unit,
/// so a confirmed pledge of 3 owes 27.00.
@Suite struct PaymentRouteSpecs {
    /// A succeeded campaign with one confirmed pledge of 3 (and 9 more units from others).
    func confirmedPledge(_ api: InProcessAPI, forfeit: Bool = true) async throws -> Int64 {
        let seed = Seed(api.app, at: api.now.adding(seconds: -60))
        let campaign = try seed.campaign(forfeitDepositOnDefault: forfeit)
        let pledge = try seed.pledge(campaign.id, "alice", 3).pledge.id
        try seed.pledge(campaign.id, "bob", 9)
        let closed = await api.call("POST", "/v1/campaigns/\(campaign.id)/close", token: api.admin)
        #expect(closed.json?["campaign"]?["status"] == "succeeded", Comment(rawValue: closed.text))
        return pledge
    }

    func pay(_ api: InProcessAPI, _ pledge: Int64, amount: Int64 = 2700, reference: String = "wx-4200001234", key: String? = "pay-1",
             token: String? = nil) async -> InProcessAPI.Reply {
        await api.call("POST", "/v1/pledges/\(pledge)/payments", token: token ?? api.storefront,
                       body: #"{"amount_minor":\#(amount),"reference":"\#(reference)"}"#, headers: key.map { [("Idempotency-Key", $0)] } ?? [])
    }

    @Test func theExactBalancePaysThePledgeAndKeepsTheReference() async throws {
        let api = try InProcessAPI(), pledge = try await confirmedPledge(api)
        let paid = await pay(api, pledge)
        #expect(paid.status == 201 && paid.json?["pledge"]?["status"] == "paid", "\(paid.text)")
        #expect(paid.json?["payment"]?["amount_minor"] == 2700 && paid.json?["payment"]?["reference"] == "wx-4200001234")
        try api.expectLedgerConsistent()
    }

    @Test func aRetryWithTheSameKeyAnswersTheSamePaymentOnce() async throws {
        let api = try InProcessAPI(), pledge = try await confirmedPledge(api)
        let first = await pay(api, pledge)
        let replay = await pay(api, pledge)
        #expect(replay.status == 201 && replay.headers["Idempotent-Replayed"] == "true" && replay.json?["payment"]?["id"] == first.json?["payment"]?["id"])
        let conflict = await pay(api, pledge, reference: "another")
        #expect(conflict.status == 409 && conflict.json?["error"]?["code"] == "idempotency_conflict")
        let again = await pay(api, pledge, key: "pay-2")
        #expect(again.status == 409 && again.json?["error"]?["code"] == "already_paid")
        let audit = try api.app.ledgerAudit().runBlocking()
        #expect(audit.running.isBalanced)
    }

    @Test func anyOtherAmountIsRefusedAndNothingIsStored() async throws {
        let api = try InProcessAPI(), pledge = try await confirmedPledge(api)
        for amount in [2699, 2701, 0, -2700, Int64.max, Int64.min] {
            let refused = await pay(api, pledge, amount: amount, key: "k\(amount)")
            #expect(refused.status == 422 && refused.json?["error"]?["code"] == "wrong_amount", "\(amount): \(refused.text)")
        }
        #expect(try api.app.pledge(id: pledge).runBlocking().status == .confirmed)
        #expect(await pay(api, pledge, key: "k2700").status == 201)
    }

    @Test func aPaymentAfterADefaultIsRefused() async throws {
        let api = try InProcessAPI(), pledge = try await confirmedPledge(api)
        let due = try api.app.campaign(id: try api.app.pledge(id: pledge).runBlocking().campaignID).runBlocking().balanceDueAt
        _ = try api.app.defaultPledge(id: pledge, at: due).runBlocking()
        let refused = await pay(api, pledge)
        #expect(refused.status == 409 && refused.json?["error"]?["code"] == "pledge_defaulted")
        try api.expectLedgerConsistent()
    }

    @Test func aPledgeThatIsNotConfirmedOwesNothingYet() async throws {
        let api = try InProcessAPI(), campaign = try api.campaign()
        let placed = await api.pledge(campaign, #"{"consumer_id":"alice","quantity":3}"#)
        let id = try #require(placed.json?["id"]?.intValue)
        let refused = await pay(api, id)
        #expect(refused.status == 409 && refused.json?["error"]?["code"] == "invalid_transition")
        #expect(await pay(api, 999_999).status == 404)
    }

    @Test func theRequestMustCarryAKeyAReferenceAndNothingElse() async throws {
        let api = try InProcessAPI(), pledge = try await confirmedPledge(api)
        #expect(await pay(api, pledge, key: nil).json?["error"]?["code"] == "idempotency_key_required")
        #expect(await pay(api, pledge, key: String(repeating: "k", count: 256)).status == 400)
        #expect(await pay(api, pledge, reference: "").status == 422)
        #expect(await pay(api, pledge, reference: String(repeating: "r", count: 201)).status == 422)
        #expect(await pay(api, pledge, reference: String(repeating: "r", count: 200), key: "long").status == 201)
        let extra = await api.call("POST", "/v1/pledges/\(pledge)/payments", token: api.storefront,
                                   body: #"{"amount_minor":2700,"reference":"x","status":"paid"}"#, headers: [("Idempotency-Key", "x")])
        #expect(extra.status == 422)
    }

    /// Storefronts and admins report payments; planners, suppliers and anonymous callers may not.
    @Test func onlyStorefrontsAndAdminsReportPayments() async throws {
        let api = try InProcessAPI(), pledge = try await confirmedPledge(api)
        let supplier = try api.token(for: Principal(role: .supplier, supplierID: 1))
        #expect(await api.call("POST", "/v1/pledges/\(pledge)/payments", body: #"{"amount_minor":2700,"reference":"x"}"#,
                               headers: [("Idempotency-Key", "a")]).status == 401)
        #expect(await pay(api, pledge, key: "p", token: api.planner).status == 403)
        #expect(await pay(api, pledge, key: "s", token: supplier).status == 403)
        #expect(await pay(api, pledge, key: "a", token: api.admin).status == 201)
    }

    /// 定金膨胀: 1.00 down a unit counts 3.00, so a pledge of 3 at 10.00 owes 21.00, and the
    /// 6.00 of extra credit is a discount in the ledger.
    @Test func aDepositCreditLowersTheBalanceOwed() async throws {
        let api = try InProcessAPI()
        try await api.catalog()
        let id = try await api.create("/v1/campaigns", """
            {"sku":"tea","title":"Tea","closes_at":"2099-01-01T00:00:00Z","threshold":3,"deposit_per_unit_minor":100,
             "deposit_credit_per_unit_minor":300,"tiers":[{"min_quantity":1,"unit_price_minor":1000}]}
            """)
        let placed = await api.pledge(id, #"{"consumer_id":"alice","quantity":3}"#)
        let pledge = try #require(placed.json?["id"]?.intValue)
        #expect(placed.json?["deposit_minor"] == 300)
        _ = await api.call("POST", "/v1/campaigns/\(id)/close", token: api.admin)
        let view = await api.call("GET", "/v1/consumers/alice/pledges", token: api.storefront)
        #expect(view.json?["pledges"]?.arrayValue?.first?["owed_minor"] == 2100)
        #expect(await pay(api, pledge, amount: 2700, key: "face").json?["error"]?["code"] == "wrong_amount")
        #expect(await pay(api, pledge, amount: 2100, key: "credit").status == 201)
        let balances = try api.app.ledgerAudit().runBlocking().running
        #expect(balances.isBalanced && balances.balance(.depositCredits, currency: "CNY") == 600)
        #expect(balances.balance(.sales, currency: "CNY") == -3000 && balances.balance(.cash, currency: "CNY") == 2400)
        try api.expectLedgerConsistent()
        // The credit is at least the deposit and needs one.
        let refused = await api.call("POST", "/v1/campaigns", token: api.admin, body: """
            {"sku":"tea","title":"Tea","closes_at":"2099-01-01T00:00:00Z","threshold":3,"deposit_per_unit_minor":100,
             "deposit_credit_per_unit_minor":99,"tiers":[{"min_quantity":1,"unit_price_minor":1000}]}
            """)
        #expect(refused.status == 422 && refused.text.contains("deposit_credit_per_unit_minor"))
    }
}
