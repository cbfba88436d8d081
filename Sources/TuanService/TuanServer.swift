import TuanDomain
import TuanHTTP
import TuanStore

/// The running service: HTTP server, API router and the deadline scheduler over one store.
public final class TuanServer: Sendable {
    public let api: TuanAPI
    public let http: HTTPServer
    private let scheduler: CampaignScheduler

    public init(store: Store, configuration: HTTPServer.Configuration, clock: @escaping @Sendable () -> Timestamp = Clock.now,
                accessLog: (@Sendable (String) -> Void)? = nil, log: @escaping @Sendable (String) -> Void = { _ in }) throws {
        let holder = ServerHolder()
        api = TuanAPI(store: store, clock: clock, extraMetrics: { holder.lines() })
        http = try HTTPServer(configuration: configuration, responder: api.router(accessLog: accessLog))
        holder.server = http
        scheduler = CampaignScheduler(store: store, clock: clock, log: log)
    }

    @discardableResult
    public func start() throws -> Int {
        let port = try http.start()
        scheduler.start()
        return port
    }

    /// Stops accepting, drains in-flight requests, stops the scheduler and flushes the writer.
    public func shutdown() {
        http.shutdown()
        scheduler.stop()
        api.store.close()
    }
}

/// Lets the metrics route read the server's connection counters (the server is built after the router).
private final class ServerHolder: @unchecked Sendable {
    // Written once before the server starts, read only afterwards.
    var server: HTTPServer?

    func lines() -> [String] {
        guard let c = server?.counters else { return [] }
        return [
            "# TYPE http_open_connections gauge", "http_open_connections \(c.openConnections)",
            "# TYPE http_connections_accepted_total counter", "http_connections_accepted_total \(c.acceptedConnections)",
            "# TYPE http_connections_rejected_total counter", "http_connections_rejected_total \(c.rejectedConnections)",
            "# TYPE http_parse_failures_total counter", "http_parse_failures_total \(c.parseFailures)",
            "# TYPE http_request_timeouts_total counter", "http_request_timeouts_total \(c.timeouts)",
        ]
    }
}
