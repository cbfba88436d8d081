import Foundation
import Testing
import TuanDomain
@testable import TuanSQLite
import TuanStore
@testable import TuanService

/// The HTML pages over real HTTP: rendering and escaping, the no-JavaScript pledge form,
/// sign-in with its cookie and CSRF rules, and the supplier's answer form.
@Suite struct PagesTests {
    static let form = ["Content-Type": "application/x-www-form-urlencoded"]

    func formBody(_ fields: [(String, String)]) -> String {
        fields.map { "\($0.0)=\(HTML.queryValue($0.1))" }.joined(separator: "&")
    }

    func seed(_ s: LiveService, title: String = "Tea") async -> Int64 {
        _ = await s.call("POST", "/v1/suppliers", token: s.admin, body: #"{"name":"Farm & Sons <Ltd>"}"#)
        _ = await s.call("POST", "/v1/products", token: s.admin, body: #"{"sku":"tea","supplier_id":1,"name":"Tea","unit_cost_minor":400}"#)
        let title = title.replacingOccurrences(of: "\"", with: "\\\"")
        let c = await s.call("POST", "/v1/campaigns", token: s.admin, body: """
            {"sku":"tea","title":"\(title)","closes_at":"2099-01-01T00:00:00Z","threshold":3,"max_per_pledge":5,
             "tiers":[{"min_quantity":1,"unit_price_minor":1000},{"min_quantity":10,"unit_price_minor":800}],"deposit_per_unit_minor":100}
            """)
        return c.json?["id"]?.intValue ?? 0
    }

    func signIn(_ s: LiveService, token: String, next: String = "/") async -> (cookie: String?, location: String?) {
        let reply = await s.call("POST", "/login", body: formBody([("token", token), ("next", next)]), headers: Self.form)
        let cookie = reply.headers["set-cookie"]?.split(separator: ";").first.map(String.init)
        return (cookie, reply.headers["location"])
    }

    func csrf(in html: String) -> String {
        guard let range = html.range(of: #"name="csrf" value=""#) else { return "" }
        return String(html[range.upperBound...].prefix(64))
    }

    @Test func campaignPageEscapesAndTakesPledgesWithoutJavaScript() async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        let id = await seed(s, title: "<script>alert(1)</script> & \"tea\"")
        let page = await s.call("GET", "/c/\(id)?leader=<x>")
        #expect(page.status == 200 && page.headers["content-type"] == "text/html; charset=utf-8")
        #expect(page.headers["content-security-policy"]?.contains("default-src 'none'") == true)
        #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;tea&quot;") && !page.text.contains("<script>"))
        #expect(page.text.contains(#"value="&lt;x&gt;""#))  // the share link's leader code, escaped in the form
        #expect(page.text.contains(#"<strong id="pledged-count">0</strong>"#) && page.text.contains("10 more units</strong> to unlock ¥8.00"))

        let key = "form-key-1"
        let fields = [("consumer", "Mei <b>"), ("quantity", "2"), ("leader_code", ""), ("form_key", key)]
        let posted = await s.call("POST", "/c/\(id)", body: formBody(fields), headers: Self.form)
        #expect(posted.status == 303 && posted.headers["location"]?.hasPrefix("/c/\(id)?joined=") == true)
        // The same form sent twice (a double click, a retry) records one pledge.
        let again = await s.call("POST", "/c/\(id)", body: formBody(fields), headers: Self.form)
        #expect(again.headers["location"] == posted.headers["location"])
        let joined = await s.call("GET", posted.headers["location"] ?? "/")
        #expect(joined.text.contains(#"id="joined""#) && joined.text.contains(#"<strong id="pledged-count">2</strong>"#))
        #expect(try s.store.readSync { try $0.pledges(campaignID: id) }.map(\.consumerID) == ["Mei <b>"])

        let bad = await s.call("POST", "/c/\(id)", body: formBody([("consumer", ""), ("quantity", "many"), ("form_key", "k2")]),
                               headers: Self.form)
        #expect(bad.status == 422)
        #expect(bad.text.contains(#"id="consumer-error""#) && bad.text.contains(#"id="quantity-error""#))
        #expect(bad.text.contains(#"aria-invalid="true""#) && bad.text.contains(#"value="many""#))
        let tooMany = await s.call("POST", "/c/\(id)", body: formBody([("consumer", "Lin"), ("quantity", "9"), ("form_key", "k3")]),
                                   headers: Self.form)
        #expect(tooMany.status == 422 && tooMany.text.contains("Enter between 1 and 5 units."))
        let unknownLeader = await s.call("POST", "/c/\(id)", body: formBody([("consumer", "Lin"), ("quantity", "1"), ("leader_code", "zz"),
                                                                              ("form_key", "k4")]), headers: Self.form)
        #expect(unknownLeader.status == 422 && unknownLeader.text.contains(#"id="leader_code-error""#))
        #expect(await s.call("POST", "/c/\(id)", body: "{}", headers: ["Content-Type": "application/json"]).status == 415)
        let missing = await s.call("GET", "/c/999")
        #expect(missing.status == 404 && missing.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(try s.store.readSync { try $0.pledges(campaignID: id) }.count == 1)
        let css = await s.call("GET", "/assets/tuan.css")
        #expect(css.status == 200 && css.headers["content-type"]?.hasPrefix("text/css") == true)
    }

    /// The forms anyone can post are limited per client address: past the burst, 429 with
    /// Retry-After and nothing stored; pages and the token API are not limited.
    @Test func formPostsArePacedPerAddress() async throws {
        let s = try LiveService(delivery: nil, formPostsPerMinute: 4)  // bursts of 2
        defer { s.stop() }
        let id = await seed(s)
        var statuses: [Int] = []
        for i in 0..<3 {
            let fields = [("consumer", "c\(i)"), ("quantity", "1"), ("form_key", "pace-\(i)")]
            statuses.append(await s.call("POST", "/c/\(id)", body: formBody(fields), headers: Self.form).status)
        }
        #expect(statuses == [303, 303, 429])
        let login = await s.call("POST", "/login", body: formBody([("token", "nope")]), headers: Self.form)
        #expect(login.status == 429 && Int(login.headers["retry-after"] ?? "") ?? 0 >= 1)
        #expect(login.text.contains("Too many submissions"))
        #expect(try s.store.readSync { try $0.pledges(campaignID: id) }.count == 2)
        #expect(await s.call("GET", "/c/\(id)").status == 200)
        let api = await s.call("POST", "/v1/campaigns/\(id)/pledges", token: s.storefront, body: #"{"consumer_id":"api","quantity":1}"#,
                               headers: ["Idempotency-Key": "pace-api", "Content-Type": "application/json"])
        #expect(api.status == 201)
        let metrics = await s.call("GET", "/metrics")
        #expect(metrics.text.contains("tuan_form_posts_limited_total 2"))
    }

    @Test func signInUsesASecureCookieAndFormsNeedTheirCSRFToken() async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        _ = await seed(s)
        let anonymous = await s.call("GET", "/planner")
        #expect(anonymous.status == 303 && anonymous.headers["location"] == "/login?next=/planner")
        #expect(await s.call("POST", "/login", body: formBody([("token", "nope")]), headers: Self.form).status == 401)
        #expect(await s.call("POST", "/login", body: formBody([("token", s.storefront)]), headers: Self.form).status == 401)

        let raw = await s.call("POST", "/login", body: formBody([("token", s.planner), ("next", "//evil.example/x")]), headers: Self.form)
        #expect(raw.status == 303 && raw.headers["location"] == "/planner")  // never off-site
        let setCookie = raw.headers["set-cookie"] ?? ""
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("Secure") && setCookie.contains("SameSite=Strict"))
        #expect(!setCookie.contains(s.planner))  // the token itself never goes into the cookie
        let cookie = String(setCookie.split(separator: ";").first ?? "")
        let dashboard = await s.call("GET", "/planner", headers: ["Cookie": cookie])
        #expect(dashboard.status == 200 && dashboard.text.contains("Planner dashboard") && dashboard.text.contains(#"id="open-campaigns""#))
        #expect(dashboard.text.contains("<svg"))

        // Sign-out needs the session's CSRF token; without it the session stays.
        _ = await s.call("POST", "/logout", body: "csrf=wrong", headers: Self.form.merging(["Cookie": cookie]) { $1 })
        #expect(await s.call("GET", "/planner", headers: ["Cookie": cookie]).status == 200)
        let out = await s.call("POST", "/logout", body: "csrf=\(csrf(in: dashboard.text))", headers: Self.form.merging(["Cookie": cookie]) { $1 })
        #expect(out.status == 303 && out.headers["set-cookie"]?.contains("Max-Age=0") == true)
        #expect(await s.call("GET", "/planner", headers: ["Cookie": cookie]).status == 303)

        let supplierToken = try s.token(for: Principal(role: .supplier, supplierID: 1))
        let supplier = await signIn(s, token: supplierToken)
        #expect(supplier.location == "/supplier")
        #expect(await s.call("GET", "/planner", headers: ["Cookie": supplier.cookie ?? ""]).status == 403)
    }

    @Test func suppliersAnswerOrdersThroughTheForm() async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        let id = await seed(s)
        for (i, q) in [2, 2].enumerated() {
            _ = await s.call("POST", "/v1/campaigns/\(id)/pledges", token: s.storefront, body: #"{"consumer_id":"c\#(i)","quantity":\#(q)}"#,
                             headers: ["Idempotency-Key": "p\(i)"])
        }
        let closed = await s.call("POST", "/v1/campaigns/\(id)/close", token: s.admin)
        let orderID = closed.json?["purchase_order"]?["id"]?.intValue ?? 0
        _ = await s.call("POST", "/v1/suppliers", token: s.admin, body: #"{"name":"Other"}"#)
        let other = await signIn(s, token: try s.token(for: Principal(role: .supplier, supplierID: 2)))
        let mine = await signIn(s, token: try s.token(for: Principal(role: .supplier, supplierID: 1)))
        let cookie = mine.cookie ?? ""
        let page = await s.call("GET", "/supplier", headers: ["Cookie": cookie])
        #expect(page.status == 200 && page.text.contains("PO-00000\(orderID)") && page.text.contains("Farm &amp; Sons &lt;Ltd&gt;"))
        let token = csrf(in: page.text)
        let headers = Self.form.merging(["Cookie": cookie]) { $1 }
        let path = "/supplier/orders/\(orderID)/acknowledge"
        #expect(await s.call("POST", path, body: "decision=accepted&promised_ship_date=2030-01-02", headers: headers).status == 403)
        let otherPage = await s.call("GET", "/supplier", headers: ["Cookie": other.cookie ?? ""])
        let stolen = await s.call("POST", path, body: "csrf=\(csrf(in: otherPage.text))&decision=accepted&promised_ship_date=2030-01-02",
                                  headers: Self.form.merging(["Cookie": other.cookie ?? ""]) { $1 })
        #expect(stolen.status == 403)
        let noReason = await s.call("POST", path, body: "csrf=\(token)&decision=rejected", headers: headers)
        #expect(noReason.status == 422 && noReason.text.contains("field-error"))
        let partial = await s.call("POST", path, body: "csrf=\(token)&decision=partially_accepted&accepted_tea=2&promised_ship_date=2030-01-02&reason=short",
                                   headers: headers)
        #expect(partial.status == 303 && partial.headers["location"] == "/supplier?answered=\(orderID)#order-\(orderID)")
        let order = try s.store.readSync { try $0.requirePurchaseOrder(id: orderID) }
        #expect(order.status == .partiallyAccepted && order.lines.first?.acceptedQuantity == 2)
        #expect(try s.store.readSync { try $0.pledges(campaignID: id) }.filter { $0.status == .refunded }.count == 1)
        let shown = await s.call("GET", "/supplier?answered=\(orderID)", headers: ["Cookie": cookie])
        #expect(shown.text.contains(#"id="notice""#) && shown.text.contains("Answered partially accepted"))
    }
}
