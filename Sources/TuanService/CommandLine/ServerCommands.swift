import Dispatch
import Foundation
import TuanDelivery
import TuanDomain
import TuanHTTP
import TuanStore

enum ServerCommands {
    static var all: [CommandSpec] { [serve, tokenCreate] }

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
                  .value("delivery-threads", "N", "threads pushing purchase orders to suppliers; 0 disables pushing (default 4)"),
                  .value("delivery-timeout", "SECONDS", "total time allowed for one delivery attempt (default 30)"),
                  .value("retry-delays", "LIST", "seconds between delivery attempts, e.g. 1,2,5 (default 5,300,1800,7200,18000,36000,36000)")]
    ) { args, ctx in
        var configuration = try listenConfiguration(args, defaultPort: 8080)
        configuration.eventLoopCount = Int(try args.int("loops") ?? Int64(ProcessInfo.processInfo.activeProcessorCount))
        configuration.maxConnections = Int(try args.int("max-connections") ?? 4096)
        if let idle = try args.int("idle-timeout") { configuration.idleTimeoutMilliseconds = idle * 1000 }
        if let request = try args.int("request-timeout") { configuration.requestTimeoutMilliseconds = request * 1000 }
        let store = try ctx.store()
        let log: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        var delivery = DeliveryWorker.Configuration()
        delivery.threads = Int(try args.int("delivery-threads") ?? 4)
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
        let formRate = Int(try args.int("form-rate") ?? 60)
        guard (0...100_000).contains(formRate) else { throw DomainError.invalid("form-rate", "must be 0-100000") }
        let service = try TuanServer(store: store, configuration: configuration, delivery: delivery.threads > 0 ? delivery : nil,
                                     accessLog: args.flag("access-log") ? log : nil, log: log, formPostsPerMinute: formRate)
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
        options: [.value("role", "ROLE", "admin, planner, storefront or supplier", required: true),
                  .value("supplier", "ID", "the supplier a supplier token acts for")]
    ) { args, ctx in
        guard let role = Principal.Role(rawValue: try args.string("role")) else {
            throw DomainError.invalid("role", "must be one of admin, planner, storefront, supplier")
        }
        let principal = Principal(role: role, supplierID: try args.int("supplier"))
        let token = APIToken.generate(), hash = APIToken.hash(token), now = ctx.now
        try ctx.store().writeSync { db in try db.insertToken(hash: hash, principal: principal, at: now) }
        return CommandOutput(text: token, json: ["token": .string(token), "role": .string(role.rawValue),
                                                 "supplier_id": JSONValue(principal.supplierID)])
    }
}
