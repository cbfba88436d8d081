import TuanDomain
import TuanHTTP
import TuanApp

/// Hand-out at pickup points (核销): a leader's list, collecting by code, a pledge's code.
extension TuanAPI {
    func addHandoutRoutes(to router: inout Router<TuanContext>) {
        let app = self.app, clock = self.clock
        router.get("/v1/pledges/{id}/pickup-code") { _, context in
            _ = try context.require(.admin, .storefront)
            let (pledge, code) = try await app.pickupCode(pledgeID: try context.id()).run()
            return .json(200, ["pledge_id": .int(pledge.id), "code": .string(code), "pickup_point": JSONValue(pledge.pickupPoint),
                               "leader_code": JSONValue(pledge.leaderCode)])
        }
        router.post("/v1/pickups") { request, context in
            let principal = try context.require(Permission.handOut)
            let body = try request.jsonObject(allowed: ["code", "leader_id"])
            let leaderID = try Self.leaderID(principal, given: body.optionalInt("leader_id"))
            let (pledge, at) = try await app.collectPledge(code: try body.string("code"), leaderID: leaderID, at: clock()).run()
            return .json(201, ["pledge": pledge.json, "collected_at": .string(at.rfc3339)])
        }
        router.get("/v1/pickups") { request, context in
            let principal = try context.require(Permission.handOut)
            let leaderID = try Self.leaderID(principal, given: try request.query["leader_id"].map(Self.integer("leader_id")))
            let collected: Bool?
            switch request.query["status"] ?? "uncollected" {
            case "uncollected": collected = false
            case "collected": collected = true
            case "all": collected = nil
            default: throw DomainError.invalid("status", "must be uncollected, collected or all")
            }
            // Uncollected for more than N days: ready before now − N days.
            let readyBefore = try request.query["older_than_days"].map { text throws -> Timestamp in
                guard let days = Int64(text), (0...3_650).contains(days) else { throw DomainError.invalid("older_than_days", "must be 0-3650") }
                return clock().adding(days: -days)
            }
            let limit = try Self.limit(request.query["limit"], default: 200, maximum: 1_000)
            let (leader, entries) = try await app.handoutList(leaderID: leaderID, collected: collected, readyBefore: readyBefore, limit: limit).run()
            return .json(200, ["leader": leader.json, "pickups": .array(entries.map(\.json))])
        }
    }

    /// A leader acts for itself; an admin names the leader.
    static func leaderID(_ principal: Principal, given: Int64?) throws -> Int64 {
        if principal.role == .leader {
            guard let own = principal.leaderID else { throw HTTPError(403, code: "forbidden", "this token names no leader") }
            guard given == nil || given == own else { throw HTTPError(403, code: "forbidden", "a leader acts only for itself") }
            return own
        }
        guard let given else { throw DomainError.invalid("leader_id", "is required: admins name the leader") }
        return given
    }
}

extension Handout.Entry {
    var json: JSONValue {
        var fields: [JSONValue.Field] = [
            .init("pledge_id", .int(pledge.id)), .init("consumer_id", .string(pledge.consumerID)),
            .init("campaign_id", .int(pledge.campaignID)), .init("campaign_title", .string(campaignTitle)),
            .init("quantity", .int(pledge.liveQuantity)), .init("status", .string(pledge.status.rawValue)),
            .init("pickup_point", JSONValue(pledge.pickupPoint)), .init("ready_since", JSONValue(readySince)),
            .init("collected_at", JSONValue(collectedAt)),
        ]
        if !pledge.lines.isEmpty {
            fields.append(.init("lines", .array(pledge.lines.filter { $0.status == .active }.map { ["sku": .string($0.sku), "quantity": .int($0.quantity)] })))
        }
        return .object(fields)
    }
}
