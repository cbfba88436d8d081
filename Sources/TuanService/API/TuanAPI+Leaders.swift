import TuanDomain
import TuanHTTP
import TuanApp

extension TuanAPI {
    func addLeaderRoutes(to router: inout Router<TuanContext>) {
        let app = self.app, clock = self.clock
        router.post("/v1/leaders") { request, context in
            _ = try context.require(.admin)
            let body = try request.jsonObject(allowed: ["code", "name", "pickup_point", "commission_bps", "member_limit"])
            let leader = try Leader(id: 0, code: body.string("code"), name: body.string("name"),
                                    pickupPoint: body.string("pickup_point"), commissionBasisPoints: body.int("commission_bps"),
                                    memberLimit: body.optionalInt("member_limit") ?? Leader.defaultMemberLimit)
            let now = clock()
            let saved = try await app.registerLeader(leader, at: now).run()
            return .json(201, saved.json, headers: [("Location", "/v1/leaders/\(saved.id)")])
        }
        router.get("/v1/leaders") { _, context in
            _ = try context.require(.admin, .planner, .storefront)
            let leaders = try await app.leaders().run()
            return .json(200, ["leaders": .array(leaders.map(\.json))])
        }
        router.get("/v1/leaders/{id}") { _, context in
            _ = try context.require(.admin, .planner, .storefront)
            let id = try context.id()
            let (leader, earned) = try await app.snapshot { db in
                let leader = try db.requireLeader(id: id)
                return (leader, try db.commissionEarned(leaderCode: leader.code))
            }
            guard case .object(var fields) = leader.json else { return .json(200, leader.json) }
            fields.append(.init("commission_earned_minor", .object(earned.keys.sorted().map { .init($0, .int(earned[$0]!)) })))
            return .json(200, .object(fields))
        }
        let pickList: Router<TuanContext>.Handler = { request, context in
            _ = try context.require(.admin, .planner, .storefront)
            let id = try context.id()
            guard let text = request.query["campaign"] else { throw DomainError.invalid("campaign", "is required: ?campaign=ID") }
            guard let campaignID = Int64(text), campaignID > 0 else { throw DomainError.invalid("campaign", "must be a campaign id") }
            let list = try await app.pickList(leaderID: id, campaignID: campaignID).run()
            if context.route.hasSuffix(".csv") || Self.wantsCSV(request) {
                return .csv(list.csv, filename: "pick-list-\(list.leader.code)-campaign-\(campaignID).csv")
            }
            return .json(200, list.json)
        }
        router.get("/v1/leaders/{id}/pick-list", pickList)
        router.get("/v1/leaders/{id}/pick-list.csv", pickList)
        router.get("/v1/teams/{code}") { _, context in
            let code = context.parameters["code"] ?? ""
            guard let team = try await app.team(code: code).run() else {
                throw DomainError(.notFound, field: "team_code", "no team \(code)")
            }
            return .json(200, team.json)
        }
    }
}
