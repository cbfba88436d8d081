import TuanDelivery
import TuanDomain
import TuanHTTP
import TuanApp

/// The running service: HTTP server, API router, the deadline scheduler and the delivery
/// worker over one store.
public final class TuanServer: Sendable {
    public let api: TuanAPI
    public let http: HTTPServer
    public let delivery: DeliveryWorker?
    let scheduler: CampaignScheduler

    /// `delivery: nil` runs without pushing orders (they stay pending in the outbox).
    public init(engine: any StorageEngine, configuration: HTTPServer.Configuration, clock: @escaping @Sendable () -> Timestamp = Clock.now,
                delivery deliveryConfiguration: DeliveryWorker.Configuration? = DeliveryWorker.Configuration(),
                accessLog: (@Sendable (String) -> Void)? = nil, log: @escaping @Sendable (String) -> Void = { _ in },
                formPostsPerMinute: Int = 60, pages: PageSettings = .standard, balanceReminderSeconds: Int64 = 24 * 3600) throws {
        let holder = ServerHolder()
        // Subscription weeks follow the deployment's zone; a database keeps the zone its weeks
        // were made on until `tuan subscription move-weeks` moves them.
        let weeks = try WeekGrids.adopt(pages.zoneIdentifier, in: engine)
        if weeks.identifier != pages.zoneIdentifier {
            log("subscription weeks stay on Mondays \(weeks.identifier), the zone they were made in; pages show \(pages.zoneIdentifier). "
                + "`tuan subscription move-weeks --time-zone \(pages.zoneIdentifier)` moves them (with the server stopped)")
        }
        // Writes wake the sleepers: the delivery worker when an order is queued, the scheduler
        // when a deadline may have come nearer.
        let app = TuanApplication(engine: engine, subscriptionPolicy: SubscriptionPolicy.standard.on(weeks),
                                  balanceReminderSeconds: balanceReminderSeconds) { change in
            switch change {
            case .deliveries: holder.delivery?.wake()
            case .deadlines: holder.scheduler?.wake()
            }
        }
        let worker = deliveryConfiguration.map { DeliveryWorker(app: app, configuration: $0, clock: clock, log: log) }
        delivery = worker
        holder.delivery = worker
        api = TuanAPI(app: app, clock: clock, extraMetrics: { holder.lines() },
                      formPostsPerMinute: formPostsPerMinute, pages: pages)
        http = try HTTPServer(configuration: configuration, responder: api.router(accessLog: accessLog))
        holder.server = http
        scheduler = CampaignScheduler(app: app, clock: clock, log: log)
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
        api.app.close()
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
