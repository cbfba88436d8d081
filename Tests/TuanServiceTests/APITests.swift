import Foundation
import Testing
import TuanDelivery
import TuanApp
import TuanDomain
import TuanHTTP
@testable import TuanSQLite
import TuanStore
import TuanTesting
@testable import TuanService

/// A real `TuanServer` on port 0 over a temp database, with tokens for each role, driven by
/// a tiny blocking HTTP client run off the concurrency pool.
final class LiveService: @unchecked Sendable {
    let directory: URL
    let service: TuanServer
    let port: Int
    let admin: String, storefront: String, planner: String

    init(directory existing: URL? = nil, delivery: DeliveryWorker.Configuration? = DeliveryWorker.Configuration(allowPrivateAddresses: true),
         clock: @escaping @Sendable () -> Timestamp = Clock.now, formPostsPerMinute: Int = 60, pages: PageSettings = .standard) throws {
        directory = existing ?? FileManager.default.temporaryDirectory.appendingPathComponent("tuan-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let engine = try SQLiteEngine(path: directory.appendingPathComponent("api.db").path)
        let app = TuanApplication(engine: engine)
        var tokens: [String] = []
        for role in [Principal.Role.admin, .storefront, .planner] {
            let token = APIToken.generate(), hash = APIToken.hash(token)
            try app.issueToken(hash: hash, principal: Principal(role: role), at: Timestamp(seconds: 0)).runBlocking()
            tokens.append(token)
        }
        (admin, storefront, planner) = (tokens[0], tokens[1], tokens[2])
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        service = try TuanServer(engine: engine, configuration: configuration, clock: clock, delivery: delivery,
                                 formPostsPerMinute: formPostsPerMinute, pages: pages)
        port = try service.start()
    }

    var app: TuanApplication { service.api.app }
    /// The store beneath, for tests that set up a state no use case produces.
    var store: Store { (app.engine as! SQLiteEngine).store }

    /// A new bearer token for `principal` (e.g. a supplier's).
    func token(for principal: Principal) throws -> String {
        let token = APIToken.generate(), hash = APIToken.hash(token)
        try app.issueToken(hash: hash, principal: principal, at: Timestamp(seconds: 0)).runBlocking()
        return token
    }

    /// Shuts the service down; `keepFiles` leaves the database for a restart.
    func stop(keepFiles: Bool = false) {
        service.shutdown()
        if !keepFiles { try? FileManager.default.removeItem(at: directory) }
    }

    struct Reply: Sendable {
        var status: Int; var headers: [String: String]; var json: JSONValue?; var body: [UInt8] = []
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// One request on a fresh connection (Connection: close), read to EOF.
    func call(_ method: String, _ path: String, token: String? = nil, body: String? = nil, headers: [String: String] = [:]) async -> Reply {
        let port = self.port
        return await offPool {
            var text = "\(method) \(path) HTTP/1.1\r\nHost: test\r\nConnection: close\r\n"
            if let token { text += "Authorization: Bearer \(token)\r\n" }
            for (k, v) in headers { text += "\(k): \(v)\r\n" }
            if let body {
                if !headers.keys.contains(where: { $0.lowercased() == "content-type" }) { text += "Content-Type: application/json\r\n" }
                text += "Content-Length: \(body.utf8.count)\r\n"
            }
            text += "\r\n" + (body ?? "")
            guard let raw = LoopbackHTTP.exchange(port: port, request: Array(text.utf8)) else { return Reply(status: 0, headers: [:], json: nil) }
            return Reply(status: raw.status, headers: raw.headers, json: try? JSONParser.parse(raw.body), body: raw.body)
        }
    }
}

@Suite struct APITests {
    func seed(_ s: LiveService, cap: Int = 50, threshold: Int = 10) async -> Int64 {
        _ = await s.call("POST", "/v1/suppliers", token: s.admin, body: #"{"name":"Farm"}"#)
        _ = await s.call("POST", "/v1/products", token: s.admin, body: #"{"sku":"tea","supplier_id":1,"name":"Tea","unit_cost_minor":400,"case_pack":6}"#)
        let c = await s.call("POST", "/v1/campaigns", token: s.admin, body: """
            {"sku":"tea","title":"Tea","closes_at":"2099-01-01T00:00:00Z","threshold":\(threshold),"cap":\(cap),"max_per_pledge":5,
             "tiers":[{"min_quantity":1,"unit_price_minor":1000},{"min_quantity":20,"unit_price_minor":800}],"deposit_per_unit_minor":100}
            """)
        guard case .int(let id)? = c.json?["id"] else { Issue.record("campaign not created: \(c.status) \(String(describing: c.json))"); return 0 }
        return id
    }

    /// Over a real socket, what framing alone decides: bytes that are not UTF-8 are refused.
    /// (The route's behaviours are specified one by one, in process, in `PledgeRouteSpecs`.)
    @Test func invalidUTF8InABodyIsRefusedOverTheWire() async throws {
        let s = try LiveService()
        defer { s.stop() }
        let id = await seed(s)
        let badUTF8 = await s.call("POST", "/v1/campaigns/\(id)/pledges", token: s.storefront,
                                   body: "{\"consumer_id\":\"\u{1}\"}", headers: ["Idempotency-Key": "k4"])
        #expect(badUTF8.status == 400)
        #expect(await s.call("GET", "/v1/campaigns/\(id)").json?["next_tier"]?["units_needed"] == 20)
    }

    @Test func rolesAreEnforced() async throws {
        let s = try LiveService()
        defer { s.stop() }
        let id = await seed(s)
        #expect(await s.call("POST", "/v1/campaigns/\(id)/pledges", body: "{}").status == 401)
        #expect(await s.call("POST", "/v1/campaigns/\(id)/pledges", token: "tuan_nope", body: "{}").status == 401)
        #expect(await s.call("POST", "/v1/campaigns/\(id)/pledges", token: s.planner, body: "{}", headers: ["Idempotency-Key": "x"]).status == 403)
        #expect(await s.call("POST", "/v1/campaigns/\(id)/close", token: s.storefront).status == 403)
        #expect(await s.call("POST", "/v1/suppliers", token: s.planner, body: #"{"name":"x"}"#).status == 403)
        #expect(await s.call("GET", "/v1/campaigns").status == 200)
    }

    /// Many concurrent clients race for the last units: exactly the cap is accepted.
    @Test func capRaceOverHTTPAcceptsExactlyTheCap() async throws {
        let s = try LiveService()
        defer { s.stop() }
        let cap = 60
        let id = await seed(s, cap: cap, threshold: 1)
        let results = await withTaskGroup(of: (Int, Int).self) { group -> [(Int, Int)] in
            for i in 0..<120 {
                group.addTask {
                    let r = await s.call("POST", "/v1/campaigns/\(id)/pledges", token: s.storefront,
                                         body: #"{"consumer_id":"c\#(i)","quantity":1}"#, headers: ["Idempotency-Key": "race-\(i)"])
                    return (r.status, 1)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let accepted = results.filter { $0.0 == 201 }.count
        #expect(accepted == cap)
        #expect(results.filter { $0.0 == 409 }.count == 120 - cap)
        let campaign = await s.call("GET", "/v1/campaigns/\(id)")
        #expect(campaign.json?["pledged_quantity"] == .int(Int64(cap)) && campaign.json?["status"] == "tipped")
        let metrics = await s.call("GET", "/metrics")
        #expect(metrics.status == 200)
    }

    @Test func openAPIDescribesExactlyTheRoutesServed() throws {
        let database = try TestDatabase()
        let served = Set(TuanAPI(app: database.app).router().registeredRoutes.filter { !TuanAPI.pagePatterns.contains($0.pattern) }
            .map { "\($0.method.lowercased()) \($0.pattern)" })
        let documented = Set(OpenAPIDocument.operations.map { "\($0.method) \($0.path)" })
        #expect(served == documented)
        #expect(OpenAPIDocument.json["openapi"] == "3.1.0")
        // Every path parameter is declared, every route documents 401 (a bad token is refused
        // on public routes too), and a route with a body documents 400, 413 and 415.
        let paths = OpenAPIDocument.json["paths"]
        for op in OpenAPIDocument.operations {
            let operation = paths?[op.path]?[op.method]
            guard case .array(let parameters)? = operation?["parameters"] ?? .array([]) else { Issue.record("\(op.path)"); continue }
            let declared = Set(parameters.compactMap { p -> String? in p["in"] == "path" ? p["name"].flatMap { if case .string(let n) = $0 { n } else { nil } } : nil })
            let inPath = Set(op.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            #expect(declared == inPath, "\(op.method) \(op.path) declares \(declared), its path has \(inPath)")
            #expect(operation?["responses"]?["401"] != nil, "\(op.method) \(op.path) does not document 401")
            if op.body != nil { #expect(operation?["responses"]?["415"] != nil && operation?["responses"]?["400"] != nil) }
        }
        #expect(paths?["/v1/leaders/{id}/pick-list"]?["get"]?["parameters"].map { "\($0)".contains("campaign") } == true)
    }

    @Test func campaignsCloseThemselvesAtTheDeadline() async throws {
        let database = try TestDatabase()
        let t0 = Timestamp(seconds: 1_800_000_000)
        let id = try Seed(database.app, at: t0).campaign(threshold: 1, cap: nil, deposit: 0, price: 5, closesIn: 60).id
        let clock = TestClock(t0)
        let scheduler = CampaignScheduler(app: database.app, clock: { clock.now }, log: { _ in })
        #expect(await scheduler.closeDueCampaigns() == 0)
        clock.now = t0.adding(seconds: 61)
        #expect(await scheduler.closeDueCampaigns() == 1)
        #expect(try database.app.campaign(id: id).runBlocking().status == .failed)
    }
}

