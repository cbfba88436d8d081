import Foundation
import TuanDomain
import TuanHTTP
import TuanApp
import TuanQR

/// The server-rendered pages: the consumer's campaign page, the planner's dashboard and the
/// supplier's orders, with a cookie sign-in for the latter two. Page errors answer in HTML.
extension TuanAPI {
    /// Page routes are HTML for people, not API: `/openapi.json` leaves them out.
    static let pagePatterns: Set<String> = [
        "/", "/assets/tuan.css", "/c/{id}", "/c/{id}/poster", "/login", "/logout", "/planner", "/supplier", "/supplier/orders/{id}/acknowledge",
        "/leader", "/leader/collect",
    ]

    /// The pages: the storefront (campaign pages and the pledge form), sign-in, and the
    /// planner's and supplier's pages behind a session. Handlers are grouped by who uses them.
    func addPageRoutes(to router: inout Router<TuanContext>) {
        addStorefrontPages(to: &router)
        addSessionPages(to: &router)
        addStaffPages(to: &router)
        addLeaderPages(to: &router)
    }

    /// The request's session, if its token is still valid (a revoked token signs its sessions out).
    func liveSession(_ request: HTTPRequest, at now: Timestamp) async throws -> WebSessions.Session? {
        guard let session = webSessions.session(for: request, at: now) else { return nil }
        guard try await tokens.principal(token: session.token) != nil else { webSessions.end(session.id); return nil }
        return session
    }

    /// The request's language (`Language.negotiate`) in the deployment's time zone.
    func localizer(_ request: HTTPRequest) -> Localizer {
        Localizer(Language.negotiate(request, default: pages.language), zone: pages.zone)
    }

    /// The same, in a campaign's own time zone when it has one.
    func localizer(_ request: HTTPRequest, campaign: Campaign) -> Localizer {
        var l = localizer(request)
        if let name = campaign.timeZone, let zone = PageSettings.zone(named: name) { l.zone = zone }
        return l
    }

    /// The home page, the stylesheet, and each campaign's page with its pledge form and poster.
    private func addStorefrontPages(to router: inout Router<TuanContext>) {
        let app = self.app, clock = self.clock, models = self.forecastModels, api = self
        router.get("/", page { request, _ in
            let now = clock()
            let campaigns = try await app.liveCampaigns(limit: 200).run()
            return .html(200, HomePage.render(campaigns: campaigns, now: now, api.localizer(request)))
        })

        router.get("/assets/tuan.css") { _, _ in
            var response = HTTPResponse.text(200, Stylesheet.css, contentType: "text/css; charset=utf-8")
            response.headers.add("Cache-Control", "public, max-age=3600")
            response.headers.add("X-Content-Type-Options", "nosniff")
            return response
        }

        router.get("/c/{id}", page { request, context in
            let id = try context.id(), now = clock()
            var initial = CampaignPage.Form()
            initial.leaderCode = request.query["leader"] ?? ""
            let form = initial
            let joinedID = request.query["joined"].flatMap { Int64($0) }
            let teamCode = request.query["team"]
            let page = try await app.snapshot { db in
                try api.campaignPage(id: id, form: form, teamCode: teamCode, joinedID: joinedID, request: request, now: now,
                                     models: models, in: db)
            }
            return .html(200, page.render())
        })

        router.get("/c/{id}/poster", page { request, context in
            let id = try context.id(), now = clock()
            let correction: QRCode.Correction = request.query["ec"]?.uppercased() == "M" ? .medium : .quartile
            let poster = try await app.snapshot { db in
                try api.posterPage(id: id, teamCode: request.query["team"], leaderCode: request.query["leader"], correction: correction,
                                   request: request, now: now, in: db)
            }
            return .html(200, try poster.render())
        })

        router.post("/c/{id}", page { request, context in
            if let refusal = limitForms(request) { return refusal }
            let id = try context.id(), now = clock()
            var form = Self.pledgeForm(try Self.formFields(request))
            let l = api.localizer(request)
            do {
                // Report every empty or malformed field at once, not one per submission.
                if form.consumer.trimmingCharacters(in: .whitespaces).isEmpty { form.fieldErrors["consumer"] = l.t("error.consumer_empty") }
                let quantity = Int64(form.quantity.trimmingCharacters(in: .whitespaces))
                if quantity == nil { form.fieldErrors["quantity"] = l.t("error.quantity_whole") }
                guard let quantity, form.fieldErrors.isEmpty else { throw DomainError.invalid("form", "check the marked fields") }
                // A campaign of items: the chosen size and colour is the pledge's one line.
                let lines = form.sku.isEmpty ? [] : [PledgeLine.Request(sku: form.sku, quantity: quantity)]
                let request = try PledgeRequest(
                    consumerID: form.consumer.trimmingCharacters(in: .whitespaces), quantity: lines.isEmpty ? quantity : nil, lines: lines,
                    leaderCode: form.leaderCode.isEmpty ? nil : form.leaderCode,
                    team: Self.teamChoice(open: form.openTeam, code: form.teamCode.isEmpty ? nil : form.teamCode),
                    idempotencyKey: form.key)
                let outcome = try await app.placePledge(campaignID: id, request: request, scope: "web", at: now).run()
                // Post/redirect/get: a reload shows the result instead of resubmitting.
                return .redirect("/c/\(id)?joined=\(outcome.pledge.id)" + (form.leaderCode.isEmpty ? "" : "&leader=\(HTML.queryValue(form.leaderCode))"))
            } catch let error as DomainError {
                let campaign = try await app.campaign(id: id).run()
                let message = PageErrors.message(for: error, api.localizer(request, campaign: campaign),
                                                 maxPerPledge: error.code == .invalidField ? campaign.maxPerPledge : nil)
                switch error.field {
                case "form": form.error = message
                case "consumer_id": form.fieldErrors["consumer"] = message
                case "quantity" where error.code == .invalidField: form.fieldErrors["quantity"] = message
                case "lines": form.fieldErrors["sku"] = l.t("error.item_choose")
                case "lines[0].sku": form.fieldErrors["sku"] = message
                case "lines[0].quantity" where error.code == .invalidField: form.fieldErrors["quantity"] = message
                case "lines[0].quantity": form.fieldErrors["sku"] = message
                case "leader_code": form.fieldErrors["leader_code"] = message
                case "team_code", "team": form.fieldErrors["team_code"] = message
                default: form.error = message
                }
                if error.field == "idempotency_key" { form.key = WebSessions.randomToken() }
                let status = error.status, form = form
                let page = try await app.snapshot { db in
                    try api.campaignPage(id: id, form: form, teamCode: form.teamCode.isEmpty ? nil : form.teamCode, joinedID: nil,
                                         request: request, now: now, models: models, in: db)
                }
                return .html(status == 500 ? 422 : status, page.render())
            }
        })
    }

    /// The pledge form as submitted, before any check.
    private static func pledgeForm(_ fields: [String: String]) -> CampaignPage.Form {
        var form = CampaignPage.Form()
        form.consumer = fields["consumer"] ?? ""
        form.quantity = fields["quantity"] ?? ""
        form.leaderCode = (fields["leader_code"] ?? "").trimmingCharacters(in: .whitespaces)
        form.teamCode = fields["team_code"] ?? ""
        form.openTeam = fields["open_team"] != nil
        form.sku = (fields["sku"] ?? "").trimmingCharacters(in: .whitespaces)
        form.key = fields["form_key"] ?? form.key
        return form
    }

    /// Signing in with a token, and out.
    private func addSessionPages(to router: inout Router<TuanContext>) {
        let clock = self.clock, sessions = self.webSessions, api = self
        router.get("/login", page { request, _ in
            .html(200, LoginPage.render(next: Self.safeNext(request.query["next"]), api.localizer(request)))
        })

        router.post("/login", page { request, _ in
            if let refusal = limitForms(request) { return refusal }
            let fields = try Self.formFields(request)
            let next = Self.safeNext(fields["next"])
            let token = (fields["token"] ?? "").trimmingCharacters(in: .whitespaces)
            let principal = token.isEmpty ? nil : try await tokens.principal(token: token)
            guard let principal, principal.role != .storefront else {
                let l = api.localizer(request)
                return .html(401, LoginPage.render(next: next, error: l.t(principal == nil ? "login.invalid" : "login.storefront"), l))
            }
            let session = sessions.create(for: principal, token: token, at: clock())
            let destination = next != "/" ? next : (principal.role == .supplier ? "/supplier" : principal.role == .leader ? "/leader" : "/planner")
            return .redirect(destination, headers: [("Set-Cookie", sessions.setCookie(session))])
        })

        router.post("/logout", page { request, _ in
            let fields = try Self.formFields(request)
            if let session = sessions.session(for: request, at: clock()), WebSessions.constantTimeEqual(fields["csrf"] ?? "", session.csrf) {
                sessions.end(session.id)
            }
            return .redirect("/", headers: [("Set-Cookie", WebSessions.clearCookie)])
        })
    }

    /// The planner's dashboard and the supplier's orders, with the answer form.
    private func addStaffPages(to router: inout Router<TuanContext>) {
        let app = self.app, clock = self.clock, models = self.forecastModels, api = self
        router.get("/planner", page { request, _ in
            let now = clock()
            guard let session = try await api.liveSession(request, at: now) else { return .redirect("/login?next=/planner") }
            try Permission.readForecasts.check(session.principal)
            let viewer = PageLayout.Viewer(role: session.principal.role.rawValue, csrf: session.csrf)
            let l = api.localizer(request)
            let dashboard = try await app.snapshot { db in try Self.plannerDashboard(viewer: viewer, now: now, models: models, l, weeks: app.subscriptionPolicy.weeks, in: db) }
            return .html(200, dashboard.render())
        })

        router.get("/supplier", page { request, _ in
            let now = clock()
            guard let session = try await api.liveSession(request, at: now) else { return .redirect("/login?next=/supplier") }
            let supplierID = try Self.supplierID(for: session.principal, query: request.query["supplier"])
            let answered = request.query["answered"].flatMap { Int64($0) }
            let viewer = PageLayout.Viewer(role: session.principal.role.rawValue, csrf: session.csrf)
            let l = api.localizer(request)
            let page = try await app.snapshot { db in
                try Self.supplierPage(supplierID: supplierID, viewer: viewer, l, in: db,
                                      notice: answered.map { l.t("supplier.recorded", ["id": String($0)]) }, failure: nil)
            }
            return .html(200, page.render())
        })

        router.post("/supplier/orders/{id}/acknowledge", page { request, context in
            let now = clock()
            guard let session = try await api.liveSession(request, at: now) else { return .redirect("/login?next=/supplier") }
            let fields = try Self.sessionForm(request, session)
            // The same permission and ownership check as the API route, from the same table.
            try Permission.answerPurchaseOrder.check(session.principal)
            let id = try context.id()
            let (order, _) = try await app.purchaseOrder(id: id).run()
            try order.checkAccess(by: session.principal)
            let viewer = PageLayout.Viewer(role: session.principal.role.rawValue, csrf: session.csrf)
            do {
                let answer = try Self.acknowledgement(from: fields, order: order)
                _ = try await app.acknowledgePurchaseOrder(id: id, answer, by: session.principal, at: now).run()
                let suffix = session.principal.role == .admin ? "&supplier=\(order.supplierID)" : ""
                return .redirect("/supplier?answered=\(id)\(suffix)#order-\(id)")
            } catch let error as DomainError {
                let l = api.localizer(request)
                let page = try await app.snapshot { db in
                    try Self.supplierPage(supplierID: order.supplierID, viewer: viewer, l, in: db, notice: nil,
                                          failure: (id, error.field, PageErrors.message(for: error, l)))
                }
                return .html(error.status, page.render())
            }
        })
    }

    /// The leader's hand-out screen, and collecting by code.
    func addLeaderPages(to router: inout Router<TuanContext>) {
        let app = self.app, clock = self.clock, api = self
        router.get("/leader", page { request, _ in
            let now = clock()
            guard let session = try await api.liveSession(request, at: now) else { return .redirect("/login?next=/leader") }
            try Permission.handOut.check(session.principal)
            let leaderID = try Self.leaderID(session.principal, given: try request.query["leader"].map(Self.integer("leader")))
            let page = try await api.leaderPage(leaderID: leaderID, session: session, request: request, now: now,
                                                handedOut: request.query["collected"].flatMap { Int64($0) }, failure: nil, code: "")
            return .html(200, page.render())
        })
        router.post("/leader/collect", page { request, _ in
            if let refusal = limitForms(request) { return refusal }
            let now = clock()
            guard let session = try await api.liveSession(request, at: now) else { return .redirect("/login?next=/leader") }
            let fields = try Self.sessionForm(request, session)
            try Permission.handOut.check(session.principal)
            let leaderID = try Self.leaderID(session.principal, given: fields["leader"].flatMap { Int64($0) })
            let code = fields["code"] ?? ""
            do {
                let (pledge, _) = try await app.collectPledge(code: code, leaderID: leaderID, at: now).run()
                let suffix = session.principal.role == .admin ? "&leader=\(leaderID)" : ""
                return .redirect("/leader?collected=\(pledge.id)\(suffix)")
            } catch let error as DomainError {
                let message = PageErrors.message(for: error, api.localizer(request))
                let page = try await api.leaderPage(leaderID: leaderID, session: session, request: request, now: now, handedOut: nil,
                                                    failure: message, code: code)
                return .html(error.status, page.render())
            }
        })
    }

    private func leaderPage(leaderID: Int64, session: WebSessions.Session, request: HTTPRequest, now: Timestamp, handedOut: Int64?,
                            failure: String?, code: String) async throws -> LeaderPage {
        let viewer = PageLayout.Viewer(role: session.principal.role.rawValue, csrf: session.csrf)
        // Both lists from one read snapshot, as every page's model is loaded.
        let (leader, waiting, collected) = try await app.snapshot { db in
            let leader = try db.requireLeader(id: leaderID)
            return (leader, try db.handoutEntries(leader: leader, collected: false, readyBefore: nil, limit: 500),
                    try db.handoutEntries(leader: leader, collected: true, readyBefore: nil, limit: 50))
        }
        let shown = handedOut.flatMap { id in collected.first { $0.pledge.id == id } }
        return LeaderPage(viewer: viewer, leader: leader, waiting: waiting, collected: collected, handedOut: shown, failure: failure,
                          code: code, now: now, l: localizer(request))
    }

    // MARK: helpers

    /// 429 with `Retry-After` when this client address has used up its form posts; nil otherwise.
    func limitForms(_ request: HTTPRequest) -> HTTPResponse? {
        guard let formLimiter else { return nil }
        let decision = formLimiter.check(RateLimiter.clientKey(request.remoteAddress))
        guard !decision.allowed else { return nil }
        metrics.increment("tuan_form_posts_limited_total")
        let wait = decision.retryAfterSeconds
        let l = localizer(request)
        return .html(429, PageLayout.errorPage(status: 429, message: l.t("error.too_many", ["s": String(wait)]), l),
                     headers: [("Retry-After", String(wait))])
    }

    /// Wraps a page handler so that its errors answer as HTML pages, in the visitor's language,
    /// with the same status the API would use; a `?lang=` choice is remembered in a cookie.
    func page(_ handler: @escaping Router<TuanContext>.Handler) -> Router<TuanContext>.Handler {
        let api = self
        return { request, context in
            var response: HTTPResponse
            do {
                response = try await handler(request, context)
            } catch {
                // The API's status table, rendered as a page.
                let status = ErrorMapping.response(for: error).status
                let l = api.localizer(request)
                response = .html(status, PageLayout.errorPage(status: status, message: PageErrors.message(for: error, status: status, l), l))
            }
            if let asked = request.query["lang"].flatMap(Language.init(tag:)) { response.headers.add("Set-Cookie", asked.setCookie) }
            response.headers.add("Vary", "Accept-Language, Cookie")
            return response
        }
    }

    /// A signed-in form's fields, with the session's CSRF token (403 without it).
    static func sessionForm(_ request: HTTPRequest, _ session: WebSessions.Session) throws -> [String: String] {
        let fields = try formFields(request)
        guard WebSessions.constantTimeEqual(fields["csrf"] ?? "", session.csrf) else {
            throw HTTPError(403, code: "csrf", "this form has expired; reload the page and send it again")
        }
        return fields
    }

    /// A form's fields, from our own pages only (403 for a cross-site post: `WebSessions.isSameOrigin`).
    static func formFields(_ request: HTTPRequest) throws -> [String: String] {
        guard WebSessions.isSameOrigin(request) else {
            throw HTTPError(403, code: "cross_site", "forms are accepted from this site's own pages only")
        }
        guard let type = request.headers["Content-Type"], HTTPRequest.hasMediaType(type, "application/x-www-form-urlencoded") else {
            throw HTTPError(415, code: "unsupported_media_type", "send the form as application/x-www-form-urlencoded")
        }
        return URLDecoding.form(String(decoding: request.body, as: UTF8.self))
    }

    /// Only a local path: never `//host` or a full URL, so sign-in cannot redirect elsewhere.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
              next.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else { return "/" }
        return next
    }

    static func supplierID(for principal: Principal, query: String?) throws -> Int64 {
        switch principal.role {
        case .supplier: return principal.supplierID ?? 0
        case .admin:
            guard let text = query, let id = Int64(text) else {
                throw HTTPError(422, code: "supplier_required", "admins choose a supplier with ?supplier=ID")
            }
            return id
        default: throw HTTPError(403, code: "not_a_supplier", "the supplier view is for suppliers")
        }
    }

    static func acknowledgement(from fields: [String: String], order: PurchaseOrder) throws(DomainError) -> PurchaseOrderAcknowledgement {
        guard let decision = PurchaseOrderAcknowledgement.Decision(rawValue: fields["decision"] ?? "") else {
            throw .invalid("decision", "choose accept, partial or reject")
        }
        var quantities: [String: Int64] = [:]
        if decision == .partiallyAccepted {
            for line in order.lines {
                let text = (fields["accepted_\(line.sku)"] ?? "").trimmingCharacters(in: .whitespaces)
                guard let quantity = Int64(text) else { throw .invalid("lines", "give the units you can make of every line") }
                quantities[line.sku] = quantity
            }
        }
        let shipText = (fields["promised_ship_date"] ?? "").trimmingCharacters(in: .whitespaces)
        let promised = shipText.isEmpty ? nil : try Timestamp.parseDate(shipText, field: "promised_ship_date")
        let reason = (fields["reason"] ?? "").trimmingCharacters(in: .whitespaces)
        return PurchaseOrderAcknowledgement(decision: decision, acceptedQuantities: quantities, promisedShipAt: promised,
                                            reason: reason.isEmpty ? nil : reason)
    }
}
