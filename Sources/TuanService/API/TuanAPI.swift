import Foundation
import TuanDomain
import TuanHTTP
import TuanApp

/// Tuan's HTTP API: builds the router over the application. The clock is injectable for tests.
public struct TuanAPI: Sendable {
    public let app: TuanApplication
    public let metrics: MetricsRegistry
    public let clock: @Sendable () -> Timestamp
    let counters: @Sendable () -> [String]
    /// Fitted forecast models per category, shared by every request.
    let forecastModels = ForecastModels()
    /// Browser sessions for the planner and supplier pages.
    let webSessions = WebSessions()
    /// Limits the forms anyone may post without a token (pledge, sign-in), per client address;
    /// nil when switched off.
    let formLimiter: RateLimiter?
    /// Bearer tokens to principals, for the API and for the pages' sessions.
    let tokens: TokenVerifier
    /// The pages' default language and time zone.
    let pages: PageSettings

    /// `formPostsPerMinute`: form posts each client address may make a minute, in bursts of up
    /// to half that; 0 switches the limit off.
    public init(app: TuanApplication, metrics: MetricsRegistry = MetricsRegistry(), clock: @escaping @Sendable () -> Timestamp = Clock.now,
                extraMetrics: @escaping @Sendable () -> [String] = { [] },
                formPostsPerMinute: Int = 60, pages: PageSettings = .standard) {
        self.app = app
        self.pages = pages
        self.tokens = TokenVerifier(app: app, clock: clock)
        self.formLimiter = formPostsPerMinute > 0
            ? RateLimiter(perMinute: formPostsPerMinute, burst: max(1, formPostsPerMinute / 2)) : nil
        self.metrics = metrics
        self.clock = clock
        self.counters = extraMetrics
        metrics.describe("tuan_pledges_accepted_total", type: "counter", help: "Pledges accepted (201, not replays).")
        metrics.describe("tuan_pledges_refused_total", type: "counter", help: "Pledges refused, by error code.")
        metrics.describe("tuan_form_posts_limited_total", type: "counter", help: "Form posts refused with 429 by the per-address limit.")
    }

    public func router(accessLog: (@Sendable (String) -> Void)? = nil) -> Router<TuanContext> {
        var router = Router<TuanContext>()
        router.add(RequestIDMiddleware())
        if let accessLog { router.add(AccessLogMiddleware(log: accessLog)) }
        router.add(MetricsMiddleware(registry: metrics))
        router.add(AuthMiddleware(tokens: tokens))
        router.mapErrors { error, _ in ErrorMapping.response(for: error) }
        addSystemRoutes(to: &router)
        addCatalogRoutes(to: &router)
        addCampaignRoutes(to: &router)
        addPledgeRoutes(to: &router)
        addStorefrontRoutes(to: &router)
        addEventRoutes(to: &router)
        addBasketRoutes(to: &router)
        addPurchaseOrderRoutes(to: &router)
        addForecastRoutes(to: &router)
        addLeaderRoutes(to: &router)
        addHandoutRoutes(to: &router)
        addPickupPointRoutes(to: &router)
        addSubscriptionRoutes(to: &router)
        addTokenRoutes(to: &router)
        addPageRoutes(to: &router)
        return router
    }
}
