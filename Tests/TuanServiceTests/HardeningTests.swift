import Foundation
import Testing
import TuanDelivery
import TuanDomain
import TuanHTTP
@testable import TuanSQLite
import TuanStore
@testable import TuanService

/// The hardening issue's service-level items, each over real HTTP on a real database.
@Suite struct HardeningTests {
    let pages = PagesTests()

    /// A campaign with four 2-unit pledges closed into one order; returns (campaign, order).
    func closedCampaign(_ s: LiveService) async -> (Int64, Int64) {
        let id = await pages.seed(s)
        for i in 0..<4 {
            _ = await s.call("POST", "/v1/campaigns/\(id)/pledges", token: s.storefront,
                             body: #"{"consumer_id":"c\#(i)","quantity":2,"pickup_point":"P\#(i % 2)"}"#, headers: ["Idempotency-Key": "h\(i)"])
        }
        let closed = await s.call("POST", "/v1/campaigns/\(id)/close", token: s.admin)
        return (id, closed.json?["purchase_order"]?["id"]?.intValue ?? 0)
    }

    /// Every role against the supplier page's answer form, the same table as the API route:
    /// only the owning supplier and admins; a planner is refused (it could reject any order).
    @Test func theAnswerFormEnforcesTheAPIRoutesRoles() async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        let (_, orderID) = await closedCampaign(s)
        _ = await s.call("POST", "/v1/suppliers", token: s.admin, body: #"{"name":"Other"}"#)
        // A rejection without a reason is refused (422) only once the role and ownership pass,
        // so every role can be tried without changing the order.
        let cases: [(String, String, Int)] = [
            ("planner", s.planner, 403),
            ("other supplier", try s.token(for: Principal(role: .supplier, supplierID: 2)), 403),
            ("admin", s.admin, 422),
            ("owner", try s.token(for: Principal(role: .supplier, supplierID: 1)), 422),
        ]
        var ownerCookie = "", ownerCSRF = ""
        for (name, token, expected) in cases {
            let session = await pages.signIn(s, token: token)
            let cookie = session.cookie ?? ""
            // A planner has no supplier page; its CSRF token comes from its own dashboard.
            let page = await s.call("GET", name == "planner" ? "/planner" : (name == "admin" ? "/supplier?supplier=1" : "/supplier"),
                                    headers: ["Cookie": cookie])
            let csrf = pages.csrf(in: page.text)
            let answer = await s.call("POST", "/supplier/orders/\(orderID)/acknowledge", body: "csrf=\(csrf)&decision=rejected",
                                      headers: PagesTests.form.merging(["Cookie": cookie]) { $1 })
            #expect(answer.status == expected, "\(name): \(answer.status)")
            let api = await s.call("POST", "/v1/purchase-orders/\(orderID)/acknowledgement", token: token, body: #"{"decision":"rejected"}"#)
            #expect(api.status == expected, "\(name) over the API: \(api.status)")
            if name == "owner" { (ownerCookie, ownerCSRF) = (cookie, csrf) }
        }
        let rejected = await s.call("POST", "/supplier/orders/\(orderID)/acknowledge", body: "csrf=\(ownerCSRF)&decision=rejected&reason=no",
                                    headers: PagesTests.form.merging(["Cookie": ownerCookie]) { $1 })
        #expect(rejected.status == 303)
        // Storefront tokens cannot sign in at all; anonymous posts are sent to sign in.
        #expect(await s.call("POST", "/login", body: pages.formBody([("token", s.storefront)]), headers: PagesTests.form).status == 401)
        #expect(await s.call("POST", "/supplier/orders/\(orderID)/acknowledge", body: "decision=accepted", headers: PagesTests.form).status == 303)
        #expect(try s.store.readSync { try $0.requirePurchaseOrder(id: orderID) }.status == .rejected)
    }

    /// After a partial acceptance the order shows what ships: destinations without the refunded
    /// pledges, the line cost and the payable for the accepted units only.
    @Test func anAnsweredOrderShowsWhatShips() async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        let (_, orderID) = await closedCampaign(s)
        let answered = await s.call("POST", "/v1/purchase-orders/\(orderID)/acknowledgement", token: s.admin,
                                    body: #"{"decision":"partially_accepted","lines":[{"sku":"tea","accepted_quantity":4}],"promised_ship_date":"2030-01-02","reason":"short"}"#)
        #expect(answered.status == 200)
        let order = try s.store.readSync { try $0.requirePurchaseOrder(id: orderID) }
        let line = try #require(order.lines.first)
        #expect(line.destinations.reduce(0) { $0 + $1.quantity } == 4 && line.destinations.reduce(0) { $0 + $1.pledgeCount } == 2)
        #expect(line.cost.minor == 4 * line.unitCost.minor && order.totalCost == line.cost)
        let json = await s.call("GET", "/v1/purchase-orders/\(orderID)", token: s.admin)
        #expect(json.json?["lines"]?[0]?["line_cost_minor"]?.intValue == 4 * line.unitCost.minor)
        let balances = try s.store.readSync { try $0.ledgerBalances() }
        #expect(-balances.balance(.supplierPayables, currency: "CNY") == 4 * line.unitCost.minor)
        let csv = await s.call("GET", "/v1/purchase-orders/\(orderID).csv", token: s.admin)
        #expect(csv.text.split(whereSeparator: \.isNewline).count == 1 + line.destinations.count)
    }

    /// Redeliver only a dead or held order: a pending or delivered one is 409 and untouched.
    @Test func redeliverRefusesAnOrderThatIsNotDeadOrHeld() async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        let (_, orderID) = await closedCampaign(s)
        try s.store.writeSync { db in try db.executeRaw("UPDATE outbox SET state = 'delivered', delivered_at = 1") }
        let again = await s.call("POST", "/v1/purchase-orders/\(orderID)/redeliver", token: s.admin)
        #expect(again.status == 409 && again.json?["error"]?["code"] == "conflict")
        #expect(try s.store.readSync { try $0.deliveryStatus(purchaseOrderID: orderID) }?.state == .delivered)
        try s.store.writeSync { db in try db.executeRaw("UPDATE outbox SET state = 'dead'") }
        #expect(await s.call("POST", "/v1/purchase-orders/\(orderID)/redeliver", token: s.admin).status == 202)
    }

    /// A cross-site form post (login CSRF) is refused; our own pages and non-browser clients are not.
    @Test func crossSiteFormPostsAreRefused() async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        let body = pages.formBody([("token", s.planner)])
        let crossSite = await s.call("POST", "/login", body: body, headers: PagesTests.form.merging(["Sec-Fetch-Site": "cross-site"]) { $1 })
        #expect(crossSite.status == 403 && crossSite.headers["set-cookie"] == nil)
        let foreign = await s.call("POST", "/login", body: body, headers: PagesTests.form.merging(["Origin": "https://evil.example"]) { $1 })
        #expect(foreign.status == 403)
        let own = await s.call("POST", "/login", body: body,
                               headers: PagesTests.form.merging(["Origin": "http://test", "Sec-Fetch-Site": "same-origin"]) { $1 })
        #expect(own.status == 303 && own.headers["set-cookie"] != nil)
        let proxied = await s.call("POST", "/login", body: body,
                                   headers: PagesTests.form.merging(["Origin": "https://shop.example", "X-Forwarded-Host": "shop.example"]) { $1 })
        #expect(proxied.status == 303)
        #expect(WebSessions.constantTimeEqual("abc", "abc") && !WebSessions.constantTimeEqual("abc", "abd") && !WebSessions.constantTimeEqual("abc", "ab"))
    }

    /// Tokens are listed without the token, and a revoked one stops at once: API and sessions.
    @Test func revokedTokensStopWorkingAtOnce() async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        #expect(await s.call("GET", "/v1/products", token: s.planner).status == 200)
        let session = await pages.signIn(s, token: s.planner)
        #expect(await s.call("GET", "/planner", headers: ["Cookie": session.cookie ?? ""]).status == 200)
        let list = await s.call("GET", "/v1/tokens?role=planner", token: s.admin)
        #expect(list.status == 200 && !list.text.contains(s.planner))
        let id = list.json?["tokens"]?[0]?["id"]?.intValue ?? 0
        #expect(await s.call("GET", "/v1/tokens", token: s.planner).status == 403)
        #expect(await s.call("POST", "/v1/tokens/\(id)/revoke", token: s.storefront).status == 403)
        let revoked = await s.call("POST", "/v1/tokens/\(id)/revoke", token: s.admin)
        #expect(revoked.status == 200 && revoked.json?["revoked_at"] != .null)
        #expect(await s.call("GET", "/v1/products", token: s.planner).status == 401)
        #expect(await s.call("GET", "/planner", headers: ["Cookie": session.cookie ?? ""]).status == 303)
        #expect(await s.call("POST", "/v1/tokens/999/revoke", token: s.admin).status == 404)
    }

    /// Input contract: names the API's own fields, refuses DEL, C1 and combining floods,
    /// application/jsonx, currencies outside ISO 4217, and years past the bounds.
    @Test func inputContractSlipsAreClosed() async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        let id = await pages.seed(s)
        func pledge(_ body: String, type: String = "application/json") async -> LiveService.Reply {
            await s.call("POST", "/v1/campaigns/\(id)/pledges", token: s.storefront, body: body,
                         headers: ["Idempotency-Key": UUID().uuidString, "Content-Type": type])
        }
        #expect(await pledge(#"{"consumer_id":"a","quantity":1}"#, type: "application/jsonx").status == 415)
        #expect(await pledge(#"{"consumer_id":"a","quantity":1}"#, type: "application/json; charset=utf-8").status == 201)
        #expect(await pledge(#"{"consumer_id":"a\u007f","quantity":1}"#).status == 422)
        #expect(await pledge(#"{"consumer_id":"a\u0085","quantity":1}"#).status == 422)
        let flood = "a" + String(repeating: "\\u0301", count: 5_000)
        #expect(await pledge(#"{"consumer_id":"\#(flood)","quantity":1}"#).status == 422)
        let tooMany = await pledge(#"{"consumer_id":"a","quantity":\#(Bounds.pledgeQuantity + 1)}"#)
        #expect(tooMany.status == 422 && tooMany.json?["error"]?["message"].map { "\($0)".contains("quantity") } == true)
        let product = await s.call("POST", "/v1/products", token: s.admin, body: #"{"sku":"x1","supplier_id":1,"name":"X","unit_cost_minor":1,"currency":"XYZ"}"#)
        #expect(product.status == 422)
        let cost = await s.call("POST", "/v1/products", token: s.admin, body: #"{"sku":"x2","supplier_id":1,"name":"X","unit_cost_minor":\#(Bounds.unitAmountMinor + 1)}"#)
        #expect(cost.status == 422 && "\(cost.json?["error"]?["message"] ?? .null)".contains("unit_cost_minor"))
        let late = await s.call("POST", "/v1/campaigns", token: s.admin, body: #"{"sku":"tea","title":"T","closes_at":"9999-06-01T00:00:00Z","threshold":1,"tiers":[{"min_quantity":1,"unit_price_minor":100}]}"#)
        #expect(late.status == 422)
        let supplier = await s.call("POST", "/v1/suppliers", token: s.admin, body: #"{"name":"S"}"#)
        #expect(supplier.status == 201 && supplier.headers["location"] == nil)
        for url in ["http://169.254.169.254/latest", "http://[fe80::1]/x", "http://0.0.0.0/", "http://a\u{0}b/", "http:///path", "http://u:p@host/"] {
            let escaped = url.replacingOccurrences(of: "\u{0}", with: "\\u0000")
            let r = await s.call("POST", "/v1/suppliers", token: s.admin, body: #"{"name":"S","endpoint_url":"\#(escaped)"}"#)
            #expect(r.status == 422, "\(url)")
        }
    }
}

/// Every role against every documented route: no token is 401 on a route with roles, a role
/// the document does not list is 403, a listed one is never 401 or 403, and a public route
/// refuses no role. The OpenAPI document is then a faithful statement of who may do what.
@Suite struct RoleParityTests {
    @Test func everyRoleAgainstEveryRouteMatchesTheDocument() async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        _ = await PagesTests().seed(s)
        let leader = await s.call("POST", "/v1/leaders", token: s.admin, body: #"{"code":"wang","name":"Wang","pickup_point":"Gate 3","commission_bps":300}"#)
        let leaderID = try #require(leader.json?["id"]?.intValue, "\(leader.text)")
        let tokens: [(String, String?)] = [("none", nil), ("admin", s.admin), ("planner", s.planner), ("storefront", s.storefront),
                                           ("supplier", try s.token(for: Principal(role: .supplier, supplierID: 1))),
                                           ("leader", try s.token(for: Principal(role: .leader, leaderID: leaderID)))]
        for op in OpenAPIDocument.operations where op.path != "/v1/tokens/{id}/revoke" {
            let path = op.path.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{code}", with: "x")
                .replacingOccurrences(of: "{sku}", with: "tea")
            for (role, token) in tokens {
                let reply = await s.call(op.method.uppercased(), path, token: token, body: op.method == "post" ? "{}" : nil,
                                         headers: ["Idempotency-Key": "parity-\(role)"])
                let label = "\(op.method) \(op.path) as \(role): \(reply.status)"
                if op.roles.isEmpty {
                    #expect(reply.status != 401 && reply.status != 403, "\(label)")
                } else if token == nil {
                    #expect(reply.status == 401, "\(label)")
                } else if op.roles.contains(role) {
                    #expect(reply.status != 401 && reply.status != 403, "\(label)")
                } else {
                    #expect(reply.status == 403, "\(label)")
                }
            }
        }
        // Revoking is checked last (it would sign a role out): only admins may.
        for (role, token) in tokens.dropFirst(2) {
            #expect(await s.call("POST", "/v1/tokens/1/revoke", token: token).status == 403, "\(role)")
        }
    }
}

/// Every role against every page and page form. The pages that read (the planner dashboard,
/// the supplier view) and the forms that write (sign-in, the answer form, sign-out, the pledge
/// form) each allow what their API counterpart allows and no more.
@Suite struct PageRoleTests {
    @Test func everyRoleAgainstEveryPage() async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        let pages = PagesTests()
        let campaign = await pages.seed(s)
        let supplier = try s.token(for: Principal(role: .supplier, supplierID: 1))
        // role → (sign-in status and destination, /planner, /supplier (admins add ?supplier=1))
        let expected: [(String, String, Int, String?, Int, Int)] = [
            ("admin", s.admin, 303, "/planner", 200, 200),
            ("planner", s.planner, 303, "/planner", 200, 403),
            ("supplier", supplier, 303, "/supplier", 403, 200),
            ("storefront", s.storefront, 401, nil, 303, 303),
        ]
        for (role, token, signInStatus, destination, planner, supplierPage) in expected {
            let signIn = await s.call("POST", "/login", body: pages.formBody([("token", token)]), headers: PagesTests.form)
            #expect(signIn.status == signInStatus && signIn.headers["location"] == destination, "\(role) sign-in: \(signIn.status)")
            let cookie = signIn.headers["set-cookie"]?.split(separator: ";").first.map(String.init) ?? ""
            let dashboard = await s.call("GET", "/planner", headers: ["Cookie": cookie])
            #expect(dashboard.status == planner, "\(role) /planner: \(dashboard.status)")
            let orders = await s.call("GET", role == "admin" ? "/supplier?supplier=1" : "/supplier", headers: ["Cookie": cookie])
            #expect(orders.status == supplierPage, "\(role) /supplier: \(orders.status)")
            // Signing out needs the session's CSRF token; without it the session stays.
            if signInStatus == 303 {
                let (page, path) = dashboard.status == 200 ? (dashboard, "/planner") : (orders, "/supplier")
                _ = await s.call("POST", "/logout", body: "csrf=wrong", headers: PagesTests.form.merging(["Cookie": cookie]) { $1 })
                #expect(await s.call("GET", path, headers: ["Cookie": cookie]).status == 200)
                _ = await s.call("POST", "/logout", body: "csrf=\(pages.csrf(in: page.text))", headers: PagesTests.form.merging(["Cookie": cookie]) { $1 })
                #expect(await s.call("GET", "/planner", headers: ["Cookie": cookie]).status == 303, "\(role) signed out")
            }
        }
        // The pledge form is the built-in storefront: anyone may post it, with or without a session.
        let pledge = await s.call("POST", "/c/\(campaign)", body: pages.formBody([("consumer", "walk-in"), ("quantity", "1"), ("form_key", "page-role")]),
                                  headers: PagesTests.form)
        #expect(pledge.status == 303)
    }
}
