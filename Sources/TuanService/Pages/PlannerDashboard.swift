import TuanDomain
import TuanForecast
import TuanApp

/// The planner's dashboard: open campaigns with their projections, SKU plans by week, the
/// bullwhip ratio per SKU, and purchase orders with their delivery state and dead letters.
struct PlannerDashboard {
    struct OpenCampaign {
        var title: String
        var forecast: CampaignForecast
    }

    var viewer: PageLayout.Viewer
    var now: Timestamp
    var campaigns: [OpenCampaign]
    var plans: [SKUForecast]
    var orders: [(order: PurchaseOrder, delivery: DeliveryStatus?)]
    var deadLetters: [(order: PurchaseOrder, delivery: DeliveryStatus?)]

    /// Charts drawn for at most this many campaigns and SKUs; the tables list more.
    static let chartLimit = 8

    func render() -> String {
        PageLayout.page(title: "Planner", viewer: viewer, main: """
            <h1>Planner dashboard</h1>
            <p class="legend">As of \(HTML.time(now)). Projections are P10–P90 bands from the category's history; plans use proportional order-up-to (Ti = 3), which damps orders instead of amplifying demand.</p>
            <h2 id="campaigns-h">Open campaigns</h2>
            \(campaignTable)
            <div class="cards">\(campaignCharts)</div>
            <h2 id="plans-h">SKU plans by week</h2>
            <p class="legend"><span class="swatch" aria-hidden="true">\(swatch("#2c5282"))</span>firm (succeeded campaigns, subscriptions)\
            <span class="swatch" aria-hidden="true">\(swatch("#90cdf4"))</span>projected (open campaigns × P(tip) × conversion)\
            <span class="swatch" aria-hidden="true">\(swatch("#9b1c1c"))</span>recommended order</p>
            <div class="cards">\(planCharts)</div>
            <h2 id="bullwhip-h">Bullwhip by SKU</h2>
            \(bullwhipTable)
            <h2 id="orders-h">Purchase orders</h2>
            \(orderTable(orders, id: "orders"))
            <h2 id="dead-h">Dead letters</h2>
            \(deadLetters.isEmpty ? "<p id=\"dead-letters\">None: every order reached its supplier or is still being retried.</p>" : orderTable(deadLetters, id: "dead-letters"))
            """)
    }

    private func swatch(_ colour: String) -> String {
        "<svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" fill=\"\(colour)\"/></svg>"
    }

    private var campaignTable: String {
        guard !campaigns.isEmpty else { return "<p>No campaign is open.</p>" }
        var rows = ""
        for item in campaigns {
            let p = item.forecast.projection, r = item.forecast.record
            rows += "<tr><td><a href=\"/c/\(r.id)\">\(HTML.escape(item.title))</a></td><td>\(HTML.escape(r.sku))</td>"
                + "<td class=\"num\">\(p.committed) / \(r.threshold)</td><td class=\"num\">\(HTML.percent(p.tipProbability))</td>"
                + "<td class=\"num\">\(HTML.number(p.p10)) · \(HTML.number(p.p50)) · \(HTML.number(p.p90))</td>"
                + "<td class=\"num\">\(HTML.number(item.forecast.firmUnits)) / \(HTML.number(item.forecast.projectedUnits))</td>"
                + "<td>\(HTML.duration(from: now, to: Timestamp(seconds: r.closesAt)))</td></tr>"
        }
        return """
            <table id="open-campaigns"><thead><tr><th scope="col">Campaign</th><th scope="col">SKU</th><th scope="col" class="num">Pledged / threshold</th>\
            <th scope="col" class="num">P(tip)</th><th scope="col" class="num">Final P10 · P50 · P90</th><th scope="col" class="num">Firm / projected paid</th>\
            <th scope="col">Closes in</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    private var campaignCharts: String {
        campaigns.prefix(Self.chartLimit).map { item in
            let f = item.forecast, r = f.record, p = f.projection
            let actual = f.observedPath.map { (x: $0.elapsed, units: Double($0.units)) }
            var band = [SVGChart.BandPoint(x: p.elapsed, p10: Double(p.committed), p50: Double(p.committed), p90: Double(p.committed))]
            band += p.path.filter { $0.elapsed > p.elapsed }.map { SVGChart.BandPoint(x: $0.elapsed, p10: $0.p10, p50: $0.p50, p90: $0.p90) }
            let label = "\(item.title): \(p.committed) pledged so far; projected final \(HTML.number(p.p10))–\(HTML.number(p.p90)) (P10–P90), median \(HTML.number(p.p50)); threshold \(r.threshold)"
            return """
                <figure class="card"><figcaption><a href="/c/\(r.id)">\(HTML.escape(item.title))</a> · P(tip) \(HTML.percent(p.tipProbability))</figcaption>
                \(SVGChart.projection(actual: actual, band: band, threshold: Double(r.threshold), cap: r.cap.map(Double.init), id: "proj-\(r.id)", label: label))
                </figure>
                """
        }.joined()
    }

    private var planCharts: String {
        guard !plans.isEmpty else { return "<p>No SKU has open campaigns or subscriptions.</p>" }
        return plans.prefix(Self.chartLimit).map { plan in
            let bars = plan.plan.weeks.map { week in
                SVGChart.WeekBar(label: String(Timestamp(seconds: week.start).rfc3339.dropFirst(5).prefix(5)), firm: week.firm,
                                 projected: week.projected, order: Double(week.recommendedOrder))
            }
            let summary = plan.plan.weeks.map { "week of \(Timestamp(seconds: $0.start).rfc3339.prefix(10)): firm \(HTML.number($0.firm)), projected \(HTML.number($0.projected)), order \($0.recommendedOrder)" }
                .joined(separator: "; ")
            return """
                <figure class="card"><figcaption>\(HTML.escape(plan.product.sku)) · \(HTML.escape(plan.product.name))</figcaption>
                \(SVGChart.plan(bars, id: "plan-\(HTML.escape(plan.product.sku))", label: "Plan for \(plan.product.sku): \(summary)"))
                </figure>
                """
        }.joined()
    }

    private var bullwhipTable: String {
        guard !plans.isEmpty else { return "<p>No SKU to show.</p>" }
        func ratio(_ value: Double?) -> String {
            guard let value else { return "–" }
            return "<span class=\"badge \(value > 1.5 ? "warn" : "ok")\">\(HTML.number(value, digits: 2))</span>"
        }
        let rows = plans.map { plan in
            "<tr><td>\(HTML.escape(plan.product.sku))</td><td class=\"num\">\(ratio(plan.bullwhip.actual))</td>"
                + "<td class=\"num\">\(ratio(plan.bullwhip.classic))</td><td class=\"num\">\(ratio(plan.bullwhip.recommended))</td></tr>"
        }.joined()
        return """
            <table id="bullwhip"><caption class="legend">Var(orders) / Var(consumer demand) over the last \(plans.first?.bullwhip.windowWeeks ?? 0) finished weeks; above 1 the orders amplify demand.</caption>
            <thead><tr><th scope="col">SKU</th><th scope="col" class="num">Orders sent</th><th scope="col" class="num">Classic order-up-to</th>\
            <th scope="col" class="num">Recommended policy</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    private func orderTable(_ list: [(order: PurchaseOrder, delivery: DeliveryStatus?)], id: String) -> String {
        guard !list.isEmpty else { return "<p id=\"\(id)\">No purchase orders yet.</p>" }
        let rows = list.map { item in
            let o = item.order
            let lines = o.lines.map { "\(HTML.escape($0.sku)) × \($0.orderQuantity)" }.joined(separator: ", ")
            let source = o.campaignID.map { "<a href=\"/c/\($0)\">campaign \($0)</a>" }
                ?? o.subscriptionWeek.map { "subscriptions, week of \($0.rfc3339.prefix(10))" } ?? ""
            let state = item.delivery?.state.rawValue ?? "–"
            let stateClass = state == "delivered" ? "ok" : (state == "dead" ? "warn" : "")
            return "<tr><td>\(o.number)</td><td>\(source)</td><td>\(lines)</td><td>\(HTML.escape(o.status.rawValue))</td>"
                + "<td><span class=\"badge \(stateClass)\">\(HTML.escape(state))</span> \(item.delivery.map { "\($0.attemptCount) attempt(s)" } ?? "")"
                + "\(item.delivery?.lastError.map { "<br><span class=\"legend\">\(HTML.escape($0))</span>" } ?? "")</td></tr>"
        }.joined()
        return """
            <table id="\(id)"><thead><tr><th scope="col">Order</th><th scope="col">From</th><th scope="col">Lines</th><th scope="col">Supplier answer</th>\
            <th scope="col">Delivery</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }
}
