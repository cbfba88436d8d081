import TuanDelivery
import TuanDomain
import TuanHTTP
import TuanSQLite
import TuanStore

/// The running service: HTTP server, API router, the deadline scheduler and the delivery
/// worker over one store.
public final class TuanServer: Sendable {
    public let api: TuanAPI
    public let http: HTTPServer
    public let delivery: DeliveryWorker?
    let scheduler: CampaignScheduler

    /// `delivery: nil` runs without pushing orders (they stay pending in the outbox).
    public init(store: Store, configuration: HTTPServer.Configuration, clock: @escaping @Sendable () -> Timestamp = Clock.now,
                delivery deliveryConfiguration: DeliveryWorker.Configuration? = DeliveryWorker.Configuration(),
                accessLog: (@Sendable (String) -> Void)? = nil, log: @escaping @Sendable (String) -> Void = { _ in },
                formPostsPerMinute: Int = 60) throws {
        let holder = ServerHolder()
        let worker = deliveryConfiguration.map { DeliveryWorker(store: store, configuration: $0, clock: clock, log: log) }
        delivery = worker
        holder.delivery = worker
        let wake: @Sendable () -> Void = { worker?.wake() }
        api = TuanAPI(store: store, clock: clock, extraMetrics: { holder.lines() }, wakeDelivery: wake,
                      formPostsPerMinute: formPostsPerMinute)
        http = try HTTPServer(configuration: configuration, responder: api.router(accessLog: accessLog))
        holder.server = http
        scheduler = CampaignScheduler(store: store, clock: clock, log: log, onPurchaseOrder: wake)
        holder.scheduler = scheduler
    }

    @discardableResult
    public func start() throws -> Int {
        let port = try http.start()
        scheduler.start()
        delivery?.start()
        return port
    }

    /// Stops accepting, drains in-flight requests, stops the scheduler, lets in-flight
    /// deliveries finish, and flushes the writer.
    public func shutdown() {
        http.shutdown()
        scheduler.stop()
        delivery?.stop()
        api.store.close()
    }
}

/// Lets the metrics route read the server's connection counters (the server is built after the router).
private final class ServerHolder: @unchecked Sendable {
    // Written once before the server starts, read only afterwards.
    var server: HTTPServer?
    var delivery: DeliveryWorker?
    var scheduler: CampaignScheduler?

    func lines() -> [String] {
        guard let c = server?.counters else { return [] }
        var lines: [String] = []
        if let d = delivery?.statistics {
            lines += [
                "# HELP tuan_delivery_attempts_total Purchase order delivery attempts, by result.",
                "# TYPE tuan_delivery_attempts_total counter",
                "tuan_delivery_attempts_total{result=\"delivered\"} \(d.delivered)",
                "tuan_delivery_attempts_total{result=\"failed\"} \(d.failedAttempts)",
                "# TYPE tuan_delivery_dead_lettered_total counter", "tuan_delivery_dead_lettered_total \(d.deadLettered)",
            ]
        }
        if let failures = scheduler?.failures {
            lines += ["# HELP tuan_scheduler_failures_total Scheduled items (closes, team expiries, cut-offs) that failed and wait to be retried.",
                      "# TYPE tuan_scheduler_failures_total counter"]
            lines += CampaignScheduler.Kind.allCases.map { "tuan_scheduler_failures_total{kind=\"\($0.rawValue)\"} \(failures[$0] ?? 0)" }
        }
        return lines + [
            "# TYPE http_open_connections gauge", "http_open_connections \(c.openConnections)",
            "# TYPE http_connections_accepted_total counter", "http_connections_accepted_total \(c.acceptedConnections)",
            "# TYPE http_connections_rejected_total counter", "http_connections_rejected_total \(c.rejectedConnections)",
            "# TYPE http_parse_failures_total counter", "http_parse_failures_total \(c.parseFailures)",
            "# TYPE http_request_timeouts_total counter", "http_request_timeouts_total \(c.timeouts)",
            "# HELP http_descriptor_exhaustion_total Accepts that failed for want of file descriptors (EMFILE/ENFILE).",
            "# TYPE http_descriptor_exhaustion_total counter", "http_descriptor_exhaustion_total \(c.descriptorExhaustion)",
        ]
    }
}
