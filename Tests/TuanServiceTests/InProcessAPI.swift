import Foundation
import TuanApp
import TuanDomain
import TuanHTTP
@testable import TuanService
import TuanTesting

/// The API's router over a fresh database, called in process: no socket, no server. For specs
/// of what a route answers; `LiveService` stays for what needs real HTTP (framing, concurrency).
struct InProcessAPI {
    let database: TestDatabase
    let router: Router<TuanContext>
    let admin: String, storefront: String, planner: String
    let now: Timestamp

    var app: TuanApplication { database.app }

    init(now: Timestamp = Timestamp(seconds: 1_800_000_000)) throws {
        database = try TestDatabase()
        self.now = now
        var tokens: [String] = []
        for role in [Principal.Role.admin, .storefront, .planner] {
            let token = APIToken.generate()
            try database.app.issueToken(hash: APIToken.hash(token), principal: Principal(role: role), at: now).runBlocking()
            tokens.append(token)
        }
        (admin, storefront, planner) = (tokens[0], tokens[1], tokens[2])
        router = TuanAPI(app: database.app, clock: { now }).router()
    }

    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var json: JSONValue?
    }

    func call(_ method: String, _ path: String, token: String? = nil, body: String? = nil, headers: [(String, String)] = []) async -> Reply {
        var fields = headers
        if let token { fields.append(("Authorization", "Bearer \(token)")) }
        if let body { fields += [("Content-Type", "application/json"), ("Content-Length", String(body.utf8.count))] }
        let request = HTTPRequest(method: method, target: path, headers: HTTPHeaders(fields), body: Array((body ?? "").utf8),
                                  remoteAddress: "127.0.0.1")
        let response = await router.respond(to: request)
        return Reply(status: response.status, headers: response.headers, json: try? JSONParser.parse(response.body))
    }

    /// An open campaign of tea (cap 50, threshold 10, deposit 1.00 a unit, at most 5 a pledge).
    func campaign() throws -> Int64 {
        try Seed(app, at: now.adding(seconds: -60)).campaign(maxPerPledge: 5).id
    }

    func pledge(_ campaign: Int64, _ body: String, key: String?) async -> Reply {
        await call("POST", "/v1/campaigns/\(campaign)/pledges", token: storefront, body: body, headers: key.map { [("Idempotency-Key", $0)] } ?? [])
    }
}
