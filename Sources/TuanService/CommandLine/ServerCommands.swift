import Dispatch
import Foundation
import TuanDelivery
import TuanDomain
import TuanHTTP
import TuanApp
import TuanSQLite
import TuanStore

enum ServerCommands {
    static var all: [CommandSpec] { [serve, tokenCreate, tokenList, tokenRevoke, backup, restore, openapi] }

    static let openapi = CommandSpec(path: ["openapi"], summary: "print the OpenAPI 3.1 document the server serves at /openapi.json") { _, _ in
        CommandOutput(text: String(decoding: OpenAPIDocument.json.bytes, as: UTF8.self), json: OpenAPIDocument.json)
    }

    static let serve = CommandSpec(
        path: ["serve"], summary: "run the HTTP API (SIGTERM/SIGINT drain in-flight requests and exit 0)",
        options: [.value("host", "ADDR", "address to bind (default 127.0.0.1)"),
                  .value("port", "N", "port; 0 picks a free one (default 8080)"),
                  .value("loops", "N", "event loop threads (default: number of cores)"),
                  .value("max-connections", "N", "most open connections (default 4096)"),
                  .value("idle-timeout", "SECONDS", "close idle keep-alive connections after this (default 60)"),
                  .value("request-timeout", "SECONDS", "a request must arrive within this (default 10)"),
                  .flag("access-log", "log one line per request to stderr"),
                  .value("form-rate", "N", "pledge and sign-in form posts per client address a minute, in bursts of up to N/2; 0 = no limit (default 60)"),
                  .value("reserved-descriptors", "N", "open files kept out of the connections' share of the limit (default 128)"),
                  .flag("allow-private-endpoints", "let suppliers' endpoints be loopback or private addresses (tests, drills, a private network)"),
                  .value("delivery-threads", "N", "threads pushing purchase orders to suppliers; 0 disables pushing (default 4)"),
                  .value("delivery-timeout", "SECONDS", "total time allowed for one delivery attempt (default 30)"),
                  .value("retry-delays", "LIST", "seconds between delivery attempts, e.g. 1,2,5 (default 5,300,1800,7200,18000,36000,36000)"),
                  .value("default-language", "TAG", "pages' language when the visitor's browser names none we have: zh-CN or en (default en)"),
                  .value("time-zone", "ZONE", "IANA zone pages show times in (default Asia/Shanghai with zh-CN, else UTC)"),
                  .value("balance-reminder-hours", "N", "hours before a campaign's balance_due_at that its unpaid pledges get a pledge.balance_due event (default 24)")]
    ) { args, ctx in
        var configuration = try listenConfiguration(args, defaultPort: 8080)
        configuration.eventLoopCount = Int(try args.int("loops") ?? Int64(ProcessInfo.processInfo.activeProcessorCount))
        configuration.maxConnections = Int(try args.int("max-connections") ?? 4096)
        if let reserved = try args.int("reserved-descriptors") {
            guard (0...100_000).contains(reserved) else { throw DomainError.invalid("reserved-descriptors", "must be 0-100000") }
            configuration.reservedDescriptors = Int(reserved)
        }
        if let idle = try args.int("idle-timeout") { configuration.idleTimeoutMilliseconds = idle * 1000 }
        if let request = try args.int("request-timeout") { configuration.requestTimeoutMilliseconds = request * 1000 }
        guard let serveLock = ServeLock.acquire(databasePath: ctx.path) else {
            throw DomainError(.conflict, field: "db", "another tuan server is serving \(ctx.path)")
        }
        defer { serveLock.release() }
        let engine = try ctx.engine()
        let log: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        var delivery = DeliveryWorker.Configuration()
        delivery.threads = Int(try args.int("delivery-threads") ?? 4)
        delivery.allowPrivateAddresses = args.flag("allow-private-endpoints")
        guard (0...64).contains(delivery.threads) else { throw DomainError.invalid("delivery-threads", "must be 0-64") }
        if let timeout = try args.int("delivery-timeout") {
            guard (1...300).contains(timeout) else { throw DomainError.invalid("delivery-timeout", "must be 1-300 seconds") }
            delivery.totalTimeout = Double(timeout)
            delivery.connectTimeout = min(delivery.connectTimeout, Double(timeout))
        }
        if let text = args.value("retry-delays") {
            let delays = text.split(separator: ",").map { Int64($0) }
            guard !delays.isEmpty, delays.count <= 50, delays.allSatisfy({ $0 != nil && (0...604_800).contains($0!) }) else {
                throw DomainError.invalid("retry-delays", "must be 1-50 comma-separated whole seconds, each at most a week")
            }
            delivery.policy.delays = delays.map { $0! }
        }
        let pages: PageSettings
        do {
            pages = try PageSettings(defaultLanguage: args.value("default-language") ?? "en", timeZone: args.value("time-zone"))
        } catch let error as PageSettingsError {
            throw DomainError.invalid(error.field, error.message)
        }
        let formRate = Int(try args.int("form-rate") ?? 60)
        guard (0...100_000).contains(formRate) else { throw DomainError.invalid("form-rate", "must be 0-100000") }
        let reminderHours = try args.int("balance-reminder-hours") ?? 24
        guard (0...24 * 90).contains(reminderHours) else { throw DomainError.invalid("balance-reminder-hours", "must be 0-2160") }
        let service = try TuanServer(engine: engine, configuration: configuration, delivery: delivery.threads > 0 ? delivery : nil,
                                     accessLog: args.flag("access-log") ? log : nil, log: log, formPostsPerMinute: formRate,
                                     pages: pages, balanceReminderSeconds: reminderHours * 3600)
        let port = try service.start()
        log(service.http.descriptorNote)
        ctx.standardOutput("listening on http://\(configuration.host):\(port)")

        waitForTerminationSignal()
        log("shutting down: draining in-flight requests")
        service.shutdown()
        log("stopped")
        return nil
    }

    /// `--host` and `--port`, checked, for any command that listens.
    static func listenConfiguration(_ args: ParsedArguments, defaultPort: Int64) throws(DomainError) -> HTTPServer.Configuration {
        var configuration = HTTPServer.Configuration()
        configuration.host = args.value("host") ?? "127.0.0.1"
        let port = try args.int("port") ?? defaultPort
        guard (0...65535).contains(port) else { throw DomainError.invalid("port", "must be 0-65535") }
        configuration.port = Int(port)
        return configuration
    }

    /// Blocks until SIGTERM or SIGINT. Signals arrive on a dispatch source, not an
    /// async-signal-unsafe handler.
    static func waitForTerminationSignal() {
        let stop = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "tuan-signals")
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        stop.wait()
        withExtendedLifetime(sources) {}
    }

    static let tokenCreate = CommandSpec(
        path: ["token", "create"], summary: "issue an API bearer token (printed alone on stdout; only its hash is stored)",
        options: [.value("role", "ROLE", "admin, planner, storefront, supplier or leader", required: true),
                  .value("supplier", "ID", "the supplier a supplier token acts for"),
                  .value("leader", "CODE", "the group leader a leader token acts for (its code)"),
                  .value("label", "TEXT", "what the token is for, shown by token list")]
    ) { args, ctx in
        let role = try Principal.Role.parse(try args.string("role"), field: "role")
        let leaderID = try args.value("leader").map { code in try ctx.app().snapshotBlocking { db in
            guard let leader = try db.leader(code: code) else { throw DomainError(.notFound, field: "leader", "no group leader has the code \(code)") }
            return leader.id
        } }
        let principal = Principal(role: role, supplierID: try args.int("supplier"), leaderID: leaderID)
        let token = APIToken.generate(), hash = APIToken.hash(token), now = ctx.now, label = args.value("label")
        try ctx.app().issueToken(hash: hash, principal: principal, label: label, at: now).runBlocking()
        return CommandOutput(text: token, json: ["token": .string(token), "role": .string(role.rawValue),
                                                 "supplier_id": JSONValue(principal.supplierID), "leader_id": JSONValue(principal.leaderID)])
    }

    static let tokenList = CommandSpec(
        path: ["token", "list"], summary: "list issued tokens by role, label and last use (never the token itself)",
        options: [.value("role", "ROLE", "only tokens of this role"), .flag("active", "leave out revoked tokens")]
    ) { args, ctx in
        let role = try args.value("role").map { text throws(DomainError) in try Principal.Role.parse(text, field: "role") }
        let active = args.flag("active")
        let list = try ctx.app().tokens(role: role, activeOnly: active).runBlocking()
        let text = (["id\trole\tsupplier\tlabel\tcreated\tlast used\trevoked"] + list.map { t in
            "\(t.id)\t\(t.principal.role.rawValue)\t\(t.principal.supplierID.map(String.init) ?? "-")\t\(t.label ?? "-")\t\(t.createdAt)\t"
                + "\(t.lastUsedAt.map(\.rfc3339) ?? "-")\t\(t.revokedAt.map(\.rfc3339) ?? "-")"
        }).joined(separator: "\n")
        return CommandOutput(text: text, json: .array(list.map(\.json)))
    }

    static let tokenRevoke = CommandSpec(
        path: ["token", "revoke"], summary: "revoke a token: it stops working on a running server within a second", positionals: ["id"]
    ) { args, ctx in
        let id = try args.positionalID(0, name: "id"), now = ctx.now
        let (record, _) = try ctx.app().revokeToken(id: id, at: now).runBlocking()
        return CommandOutput(text: "token \(record.id) (\(record.principal.role.rawValue)) revoked at \(record.revokedAt!)", json: record.json)
    }

    static let backup = CommandSpec(
        path: ["backup"], summary: "take a consistent copy of the database while the server runs, and verify it",
        options: [.value("out", "FILE", "where to write the copy (must not exist)", required: true)]
    ) { args, ctx in
        let out = try args.string("out")
        // Read-only from the file itself: opening a store here would start a second writer, and
        // create an empty database if the path were wrong.
        let verification = try DomainError.translating { try Backup.take(from: ctx.path, to: out) }
        return CommandOutput(text: "backup \(out): " + describe(verification), json: verification.json(path: out))
    }

    static let restore = CommandSpec(
        path: ["restore"], summary: "replace the database with a verified backup (the server must be stopped)",
        options: [.value("from", "FILE", "a file written by tuan backup", required: true)]
    ) { args, ctx in
        let from = try args.string("from")
        guard let lock = ServeLock.acquire(databasePath: ctx.path) else {
            throw DomainError(.conflict, field: "db", "a tuan server has \(ctx.path) open; stop it before restoring")
        }
        defer { lock.release() }
        let verification = try DomainError.translating { try Backup.restore(from: from, to: ctx.path) }
        return CommandOutput(text: "restored \(ctx.path) from \(from): " + describe(verification), json: verification.json(path: ctx.path))
    }

    private static func describe(_ v: Backup.Verification) -> String {
        "integrity ok, schema \(v.schemaVersion), \(v.pledges) pledges, \(v.journalEntries) journal entries, ledger \(v.ledgerBalanced ? "balanced" : "NOT balanced")"
    }
}

extension Backup.Verification {
    func json(path: String) -> JSONValue {
        ["path": .string(path), "integrity": "ok", "schema_version": .int(Int64(schemaVersion)), "pledges": .int(pledges),
         "journal_entries": .int(journalEntries), "ledger_balanced": .bool(ledgerBalanced)]
    }
}

/// An advisory lock beside the database that `tuan serve` holds while it runs, so that
/// `tuan restore` can refuse to replace a database a server has open.
final class ServeLock: @unchecked Sendable {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    static func acquire(databasePath: String) -> ServeLock? {
        let fd = open(databasePath + ".serve-lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { close(fd); return nil }
        return ServeLock(fd: fd)
    }

    func release() { close(fd) }
}

extension DomainError {
    /// Runs a storage operation with its refusals (`StorageError`) as the domain's errors, so
    /// that the command line renders them like any other.
    static func translating<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as StorageError {
            let code: DomainError.Code = switch error.kind {
            case .notFound: .notFound
            case .conflict: .conflict
            case .invalid: .invalidField
            case .unbalanced: .unbalanced
            }
            throw DomainError(code, field: error.field, error.message)
        }
    }
}
