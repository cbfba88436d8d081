import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanTesting
@testable import TuanService

/// The leader's hand-out screen over real HTTP: signing in with a leader token, the waiting
/// list, collecting by code through the form (no JavaScript), a wrong code marked at its field.
@Suite struct LeaderPageTests {
    static let form = ["Content-Type": "application/x-www-form-urlencoded"]

    func formBody(_ fields: [(String, String)]) -> String {
        fields.map { "\($0.0)=\(HTML.queryValue($0.1))" }.joined(separator: "&")
    }

    @Test func aLeaderHandsOutByCodeOnThePage() async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
        let seed = Seed(s.app, at: now.adding(seconds: -900))
        let wang = try seed.leader("wang")
        let campaign = try seed.campaign(sku: "tea", threshold: 2, cap: 20, price: 1_000)
        let ann = try seed.pledge(campaign.id, "Ann <b>", 2, leaderCode: "wang", key: "ann-1", at: now.adding(seconds: -800)).pledge.id
        _ = try seed.pledge(campaign.id, "Bob", 1, leaderCode: "wang", at: now.adding(seconds: -790))
        let order = try #require(try s.app.closeCampaign(id: campaign.id, reason: .closed, at: now.adding(seconds: -700)).runBlocking().purchaseOrder?.id)
        _ = try s.app.payBalance(pledgeID: ann, at: now.adding(seconds: -600)).runBlocking()
        _ = try s.app.acknowledgePurchaseOrder(id: order, PurchaseOrderAcknowledgement(decision: .accepted, promisedShipAt: now), by: nil,
                                               at: now.adding(seconds: -500)).runBlocking()
        _ = try s.app.receivePurchaseOrder(id: order, PurchaseOrderReceipt(), at: now.adding(seconds: -400)).runBlocking()
        let (_, code) = try s.app.pickupCode(pledgeID: ann).runBlocking()

        // Signed out: the page and its form send to sign-in, and nothing is collected.
        let anonymous = await s.call("GET", "/leader")
        #expect(anonymous.status == 303 && anonymous.headers["location"] == "/login?next=/leader")
        let anonymousPost = await s.call("POST", "/leader/collect", body: formBody([("code", code)]), headers: Self.form)
        #expect(anonymousPost.status == 303 && anonymousPost.headers["location"] == "/login?next=/leader")
        let token = try s.token(for: Principal(role: .leader, leaderID: wang.id))
        let login = await s.call("POST", "/login", body: formBody([("token", token)]), headers: Self.form)
        #expect(login.status == 303 && login.headers["location"] == "/leader")
        let cookie = try #require(login.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        let page = await s.call("GET", "/leader", headers: ["Cookie": cookie])
        #expect(page.status == 200 && page.text.contains(#"id="waiting""#) && page.text.contains("Ann &lt;b&gt;") && !page.text.contains("Ann <b>"))
        let csrf = String(page.text[page.text.range(of: #"name="csrf" value=""#)!.upperBound...].prefix(64))

        let wrong = await s.call("POST", "/leader/collect", body: formBody([("csrf", csrf), ("code", "\(ann)-AAAAAA")]),
                                 headers: Self.form.merging(["Cookie": cookie]) { $1 })
        #expect(wrong.status == 404 && wrong.text.contains(#"id="code-error""#) && wrong.text.contains(#"aria-invalid="true""#))
        let collected = await s.call("POST", "/leader/collect", body: formBody([("csrf", csrf), ("code", code.lowercased())]),
                                     headers: Self.form.merging(["Cookie": cookie]) { $1 })
        #expect(collected.status == 303 && collected.headers["location"] == "/leader?collected=\(ann)", "\(collected.status) \(collected.text.prefix(300))")
        let after = await s.call("GET", collected.headers["location"] ?? "/leader", headers: ["Cookie": cookie])
        #expect(after.text.contains(#"id="notice""#) && after.text.contains(#"id="collected""#))
        let again = await s.call("POST", "/leader/collect", body: formBody([("csrf", csrf), ("code", code)]), headers: Self.form.merging(["Cookie": cookie]) { $1 })
        #expect(again.status == 409)
        // Without the form's CSRF token, nothing.
        #expect(await s.call("POST", "/leader/collect", body: formBody([("code", code)]), headers: Self.form.merging(["Cookie": cookie]) { $1 }).status == 403)
        // Other roles see no hand-out screen.
        let planner = await s.call("POST", "/login", body: formBody([("token", s.planner)]), headers: Self.form)
        let plannerCookie = planner.headers["set-cookie"]?.split(separator: ";").first.map(String.init) ?? ""
        #expect(await s.call("GET", "/leader", headers: ["Cookie": plannerCookie]).status == 403)
        // Every role that can sign in, against the hand-out form: only a leader (and an admin naming one) may.
        let supplierToken = try s.token(for: Principal(role: .supplier, supplierID: 1))
        for (who, token) in [("planner", s.planner), ("supplier", supplierToken)] {
            let signedIn = await s.call("POST", "/login", body: formBody([("token", token)]), headers: Self.form)
            let theirs = signedIn.headers["set-cookie"]?.split(separator: ";").first.map(String.init) ?? ""
            let page = await s.call("GET", "/planner", headers: ["Cookie": theirs])
            let theirCSRF = page.text.range(of: #"name="csrf" value=""#).map { String(page.text[$0.upperBound...].prefix(64)) } ?? ""
            let posted = await s.call("POST", "/leader/collect", body: formBody([("csrf", theirCSRF), ("code", code)]),
                                      headers: Self.form.merging(["Cookie": theirs]) { $1 })
            #expect(posted.status == 403, "\(who): \(posted.status)")
        }
        let admin = await s.call("POST", "/login", body: formBody([("token", s.admin)]), headers: Self.form)
        let adminCookie = admin.headers["set-cookie"]?.split(separator: ";").first.map(String.init) ?? ""
        #expect(await s.call("GET", "/leader?leader=\(wang.id)", headers: ["Cookie": adminCookie]).status == 200)
        #expect(await s.call("GET", "/leader", headers: ["Cookie": adminCookie]).status == 422)
    }
}
