import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanHTTP
@testable import TuanService
import TuanTesting

/// The API's router over a fresh database, called in process: no socket, no server. For specs
/// of what a route answers; `LiveService` stays for what needs real HTTP (framing, concurrency,
/// deliveries). The clock is the test's to move; `scheduler` runs the due work at its time.
struct InProcessAPI {
    let database: TestDatabase
    let router: Router<TuanContext>
    let admin: String, storefront: String, planner: String
    let clock: TestClock
    let scheduler: CampaignScheduler

    var app: TuanApplication { database.app }
    var now: Timestamp { clock.now }

    init(now: Timestamp = Timestamp(seconds: 1_800_000_000)) throws {
        database = try TestDatabase()
        let clock = TestClock(now)
        self.clock = clock
        var tokens: [String] = []
        for role in [Principal.Role.admin, .storefront, .planner] {
            tokens.append(try Self.issue(Principal(role: role), in: database.app))
        }
        (admin, storefront, planner) = (tokens[0], tokens[1], tokens[2])
        router = TuanAPI(app: database.app, clock: { clock.now }).router()
        scheduler = CampaignScheduler(app: database.app, clock: { clock.now }, log: { _ in })
    }

    private static func issue(_ principal: Principal, in app: TuanApplication) throws -> String {
        let token = APIToken.generate()
        try app.issueToken(hash: APIToken.hash(token), principal: principal, at: Timestamp(seconds: 0)).runBlocking()
        return token
    }

    /// A new bearer token for `principal` (e.g. a supplier's).
    func token(for principal: Principal) throws -> String { try Self.issue(principal, in: app) }

    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var json: JSONValue?
        var text: String
    }

    func call(_ method: String, _ path: String, token: String? = nil, body: String? = nil, headers: [(String, String)] = []) async -> Reply {
        var fields = headers
        if let token { fields.append(("Authorization", "Bearer \(token)")) }
        if let body { fields += [("Content-Type", "application/json"), ("Content-Length", String(body.utf8.count))] }
        let request = HTTPRequest(method: method, target: path, headers: HTTPHeaders(fields), body: Array((body ?? "").utf8),
                                  remoteAddress: "127.0.0.1")
        let response = await router.respond(to: request)
        return Reply(status: response.status, headers: response.headers, json: try? JSONParser.parse(response.body),
                     text: String(decoding: response.body, as: UTF8.self))
    }

    /// An open campaign of tea (cap 50, threshold 10, deposit 1.00 a unit, at most 5 a pledge).
    func campaign() throws -> Int64 {
        try Seed(app, at: now.adding(seconds: -60)).campaign(maxPerPledge: 5).id
    }

    /// A storefront pledge; a fresh Idempotency-Key unless one is given, none if `key` is nil.
    func pledge(_ campaign: Int64, _ body: String, key: String? = UUID().uuidString) async -> Reply {
        await call("POST", "/v1/campaigns/\(campaign)/pledges", token: storefront, body: body, headers: key.map { [("Idempotency-Key", $0)] } ?? [])
    }

    /// POST with an admin token; the new record's id.
    func create(_ path: String, _ body: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int64 {
        let created = await call("POST", path, token: admin, body: body)
        return try #require(created.json?["id"]?.intValue, "\(path): \(created.status) \(created.text)", sourceLocation: sourceLocation)
    }

    /// One supplier with two products: tea (4.00, cases of 6) and rice (3.00).
    func catalog() async throws {
        _ = try await create("/v1/suppliers", #"{"name":"Farm"}"#)
        for product in [#"{"sku":"tea","supplier_id":1,"name":"Tea","unit_cost_minor":400,"case_pack":6}"#,
                        #"{"sku":"rice","supplier_id":1,"name":"Rice","unit_cost_minor":300}"#] {
            let created = await call("POST", "/v1/products", token: admin, body: product)
            #expect(created.status == 201, "\(created.text)")
        }
    }

    /// The ledger balances, its running balances match the postings, and escrow holds exactly
    /// the deposits that pledges and running subscriptions say it holds.
    func expectLedgerConsistent(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let audit = try app.ledgerAudit().runBlocking()
        #expect(audit.running.isBalanced, sourceLocation: sourceLocation)
        #expect(audit.running.balances == audit.fromPostings.balances, sourceLocation: sourceLocation)
        #expect(audit.running.escrowHeld(currency: "CNY") == (audit.depositsHeld["CNY"] ?? 0), sourceLocation: sourceLocation)
        #expect(audit.refundsMatch, "refunds payable \(audit.running.balance(.refundsPayable, currency: "CNY")), due \(audit.refundsDue)",
                sourceLocation: sourceLocation)
    }
}
