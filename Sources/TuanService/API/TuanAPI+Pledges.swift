import TuanDomain
import TuanHTTP
import TuanApp

extension TuanAPI {
    func addPledgeRoutes(to router: inout Router<TuanContext>) {
        let app = self.app, clock = self.clock, metrics = self.metrics
        router.post("/v1/campaigns/{id}/pledges") { request, context in
            let principal = try context.require(.admin, .storefront)
            let campaignID = try context.id()
            guard let key = request.headers["Idempotency-Key"], !key.isEmpty else {
                throw HTTPError(400, code: "idempotency_key_required", "send an Idempotency-Key header so that retries are safe")
            }
            let body = try request.jsonObject(allowed: ["consumer_id", "quantity", "lines", "leader_code", "pickup_point", "deposit_payment_ref",
                                                         "open_team", "team_code"])
            let pledgeRequest: PledgeRequest
            do {
                let lines = try Self.pledgeLines(body, key: "lines")
                pledgeRequest = try PledgeRequest(
                    consumerID: body.string("consumer_id"), quantity: lines.isEmpty ? body.int("quantity") : body.optionalInt("quantity"),
                    lines: lines, leaderCode: body.optionalString("leader_code"),
                    pickupPoint: body.optionalString("pickup_point"), depositPaymentRef: body.optionalString("deposit_payment_ref"),
                    team: Self.teamChoice(open: body.optionalBool("open_team"), code: body.optionalString("team_code")),
                    idempotencyKey: key)
            } catch let error as DomainError where error.field == "idempotency_key" {
                throw HTTPError(400, code: "invalid_idempotency_key", error.message)
            }
            // Keys are scoped to the caller's role so two storefronts cannot collide with each other's admin retries.
            let scope = principal.role.rawValue
            let now = clock()
            let outcome: PledgeOutcome
            do {
                outcome = try await app.placePledge(campaignID: campaignID, request: pledgeRequest, scope: scope, at: now).run()
            } catch let error as DomainError {
                metrics.increment("tuan_pledges_refused_total", labels: [("code", error.code.rawValue)])
                throw error
            }
            if !outcome.replayed { metrics.increment("tuan_pledges_accepted_total") }
            return .json(201, bytes: outcome.pledge.jsonBytes(team: outcome.team),
                         headers: [("Location", "/v1/pledges/\(outcome.pledge.id)")]
                             + (outcome.replayed ? [("Idempotent-Replayed", "true")] : []))
        }
        router.get("/v1/pledges/{id}") { _, context in
            _ = try context.require(.admin, .storefront, .planner)
            let id = try context.id()
            let pledge = try await app.pledge(id: id).run()
            return .json(200, pledge.json)
        }
        router.post("/v1/pledges/{id}/cancel") { _, context in
            _ = try context.require(.admin, .storefront)
            let id = try context.id(), now = clock()
            let (pledge, _) = try await app.cancelPledge(id: id, at: now).run()
            return .json(200, pledge.json)
        }
        router.get("/v1/campaigns/{id}/pledges") { _, context in
            _ = try context.require(.admin, .planner)
            let id = try context.id()
            let pledges = try await app.snapshot { db in
                _ = try db.requireCampaign(id: id)
                return try db.pledges(campaignID: id)
            }
            return .json(200, ["pledges": .array(pledges.map(\.json))])
        }
    }

    /// `open_team: true` starts a team; `team_code` joins one; both at once is a contradiction.
    static func teamChoice(open: Bool?, code: String?) throws(DomainError) -> PledgeRequest.TeamChoice? {
        switch (open ?? false, code) {
        case (true, nil): return .open
        case (false, let code?): return .join(code: code)
        case (false, nil): return nil
        case (true, _?): throw .invalid("team_code", "give either open_team or team_code, not both")
        }
    }
}

extension TuanAPI {
    /// `[{"sku", "quantity"}]` under `key`, each checked as an object of those two fields
    /// (at most `Bounds.campaignItems` read: more is refused by the request's own check).
    static func pledgeLines(_ body: JSONObjectReader, key: String) throws(DomainError) -> [PledgeLine.Request] {
        guard let items = try body.optionalArray(key) else { return [] }
        guard !items.isEmpty else { throw DomainError.invalid(body.field(key), "must hold at least one line") }
        var lines: [PledgeLine.Request] = []
        for (index, item) in items.prefix(Bounds.campaignItems + 1).enumerated() {
            let line = try JSONObjectReader(item, allowed: ["sku", "quantity"], prefix: body.field("\(key)[\(index)]."))
            lines.append(PledgeLine.Request(sku: try line.string("sku"), quantity: try line.int("quantity")))
        }
        return lines
    }
}
