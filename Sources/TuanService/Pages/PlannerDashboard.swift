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
    var l: Localizer

    /// Charts drawn for at most this many campaigns and SKUs; the tables list more.
    static let chartLimit = 8

    func render() -> String {
        PageLayout.page(title: l.t("planner.title"), l, path: "/planner", viewer: viewer, main: """
            <h1>\(l.t("planner.heading"))</h1>
            <p class="legend">\(l.t("planner.intro", ["at": l.time(now)]))</p>
            <h2 id="campaigns-h">\(l.t("planner.open_campaigns"))</h2>
            \(campaignTable)
            <div class="cards">\(campaignCharts)</div>
            <h2 id="plans-h">\(l.t("planner.plans"))</h2>
            <p class="legend"><span class="swatch" aria-hidden="true">\(swatch("#2c5282"))</span>\(l.t("planner.legend_firm"))\
            <span class="swatch" aria-hidden="true">\(swatch("#90cdf4"))</span>\(l.t("planner.legend_projected"))\
            <span class="swatch" aria-hidden="true">\(swatch("#9b1c1c"))</span>\(l.t("planner.legend_order"))</p>
            <div class="cards">\(planCharts)</div>
            <h2 id="bullwhip-h">\(l.t("planner.bullwhip"))</h2>
            \(bullwhipTable)
            <h2 id="orders-h">\(l.t("planner.orders"))</h2>
            \(orderTable(orders, id: "orders"))
            <h2 id="dead-h">\(l.t("planner.dead"))</h2>
            \(deadLetters.isEmpty ? "<p id=\"dead-letters\">\(l.t("planner.no_dead"))</p>" : orderTable(deadLetters, id: "dead-letters"))
            """)
    }

    private func swatch(_ colour: String) -> String {
        "<svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" fill=\"\(colour)\"/></svg>"
    }

    private var campaignTable: String {
        guard !campaigns.isEmpty else { return "<p>\(l.t("planner.no_campaigns"))</p>" }
        var rows = ""
        for item in campaigns {
            let p = item.forecast.projection, r = item.forecast.record
            rows += "<tr><td><a href=\"/c/\(r.id)\">\(HTML.data(item.title))</a></td><td>\(HTML.data(r.sku))</td>"
                + "<td class=\"num\">\(l.number(p.committed)) / \(l.number(r.threshold))</td><td class=\"num\">\(l.percent(p.tipProbability))</td>"
                + "<td class=\"num\">\(l.number(p.p10)) · \(l.number(p.p50)) · \(l.number(p.p90))</td>"
                + "<td class=\"num\">\(l.number(item.forecast.firmUnits)) / \(l.number(item.forecast.projectedUnits))</td>"
                + "<td>\(l.duration(from: now, to: Timestamp(seconds: r.closesAt)))</td></tr>"
            // A campaign of items: each item's projection under it (the style's size curve).
            for projection in item.forecast.items?.items ?? [] {
                rows += "<tr class=\"item-row\"><td class=\"hint\">\(l.t("planner.item_share", ["share": l.percent(projection.share)]))</td>"
                    + "<td translate=\"no\">\(HTML.data(projection.key))</td><td class=\"num\">\(l.number(projection.committed))</td><td></td>"
                    + "<td class=\"num\">\(l.number(projection.p10)) · \(l.number(projection.p50)) · \(l.number(projection.p90))</td><td></td><td></td></tr>"
            }
        }
        return """
            <table id="open-campaigns"><thead><tr><th scope="col">\(l.t("planner.col_campaign"))</th><th scope="col">\(l.t("planner.col_sku"))</th><th scope="col" class="num">\(l.t("planner.col_pledged"))</th>\
            <th scope="col" class="num">\(l.t("planner.col_tip"))</th><th scope="col" class="num">\(l.t("planner.col_final"))</th><th scope="col" class="num">\(l.t("planner.col_firm"))</th>\
            <th scope="col">\(l.t("planner.col_closes"))</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    private var campaignCharts: String {
        campaigns.prefix(Self.chartLimit).map { item in
            let f = item.forecast, r = f.record, p = f.projection
            let actual = f.observedPath.map { (x: $0.elapsed, units: Double($0.units)) }
            var band = [SVGChart.BandPoint(x: p.elapsed, p10: Double(p.committed), p50: Double(p.committed), p90: Double(p.committed))]
            band += p.path.filter { $0.elapsed > p.elapsed }.map { SVGChart.BandPoint(x: $0.elapsed, p10: $0.p10, p50: $0.p50, p90: $0.p90) }
            let label = l.t("planner.projection_label", ["title": item.title, "committed": l.number(p.committed), "p10": l.number(p.p10),
                                                         "p90": l.number(p.p90), "p50": l.number(p.p50), "threshold": l.number(r.threshold)])
            return """
                <figure class="card"><figcaption><a href="/c/\(r.id)">\(HTML.data(item.title))</a> · \(l.t("planner.col_tip")) \(l.percent(p.tipProbability))</figcaption>
                \(SVGChart.projection(actual: actual, band: band, threshold: Double(r.threshold), cap: r.cap.map(Double.init), id: "proj-\(r.id)", label: label, l))
                </figure>
                """
        }.joined()
    }

    private var planCharts: String {
        guard !plans.isEmpty else { return "<p>\(l.t("planner.no_plans"))</p>" }
        return plans.prefix(Self.chartLimit).map { plan in
            let bars = plan.plan.weeks.map { week in
                SVGChart.WeekBar(label: l.day(Timestamp(seconds: week.start)), firm: week.firm,
                                 projected: week.projected, order: Double(week.recommendedOrder))
            }
            let summary = plan.plan.weeks.map {
                l.t("planner.week_summary", ["week": l.day(Timestamp(seconds: $0.start)), "firm": l.number($0.firm),
                                             "projected": l.number($0.projected), "order": l.number($0.recommendedOrder)])
            }.joined(separator: l.language == .chinese ? "；" : "; ")
            return """
                <figure class="card"><figcaption>\(HTML.data(plan.product.sku)) · \(HTML.data(plan.product.name))</figcaption>
                \(SVGChart.plan(bars, id: "plan-\(HTML.escape(plan.product.sku))", label: l.t("planner.plan_label", ["sku": plan.product.sku, "summary": summary])))
                </figure>
                """
        }.joined()
    }

    private var bullwhipTable: String {
        guard !plans.isEmpty else { return "<p>\(l.t("planner.no_skus"))</p>" }
        func ratio(_ value: Double?) -> String {
            guard let value else { return "–" }
            return "<span class=\"badge \(value > 1.5 ? "warn" : "ok")\">\(l.number(value, digits: 2))</span>"
        }
        let rows = plans.map { plan in
            "<tr><td>\(HTML.data(plan.product.sku))</td><td class=\"num\">\(ratio(plan.bullwhip.actual))</td>"
                + "<td class=\"num\">\(ratio(plan.bullwhip.classic))</td><td class=\"num\">\(ratio(plan.bullwhip.recommended))</td></tr>"
        }.joined()
        return """
            <table id="bullwhip"><caption class="legend">\(l.t("planner.bullwhip_caption", ["weeks": String(plans.first?.bullwhip.windowWeeks ?? 0)]))</caption>
            <thead><tr><th scope="col">\(l.t("planner.col_sku"))</th><th scope="col" class="num">\(l.t("planner.col_sent"))</th><th scope="col" class="num">\(l.t("planner.col_classic"))</th>\
            <th scope="col" class="num">\(l.t("planner.col_recommended"))</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    private func orderTable(_ list: [(order: PurchaseOrder, delivery: DeliveryStatus?)], id: String) -> String {
        guard !list.isEmpty else { return "<p id=\"\(id)\">\(l.t("orders.none"))</p>" }
        let rows = list.map { item in
            let o = item.order
            let lines = o.lines.map { "\(HTML.data($0.sku)) × \(l.number($0.orderQuantity))" }.joined(separator: ", ")
            let source = o.campaignID.map { "<a href=\"/c/\($0)\">\(l.t("orders.from_campaign", ["id": String($0)]))</a>" }
                ?? o.subscriptionWeek.map { l.t("orders.from_subscriptions", ["week": l.day($0)]) } ?? ""
            let state = item.delivery?.state.rawValue
            let stateClass = state == "delivered" ? "ok" : (state == "dead" ? "warn" : "")
            return "<tr><td>\(HTML.data(o.number))</td><td>\(source)</td><td>\(lines)</td><td>\(l.t("po_status." + o.status.rawValue))</td>"
                + "<td><span class=\"badge \(stateClass)\">\(state.map { l.t("delivery." + $0) } ?? "–")</span> \(item.delivery.map { l.plural("orders.attempts", Int64($0.attemptCount)) } ?? "")"
                + "\(item.delivery?.lastError.map { "<br><span class=\"legend\">" + HTML.data($0) + "</span>" } ?? "")</td></tr>"
        }.joined()
        return """
            <table id="\(id)"><thead><tr><th scope="col">\(l.t("orders.col_order"))</th><th scope="col">\(l.t("orders.col_from"))</th><th scope="col">\(l.t("orders.col_lines"))</th><th scope="col">\(l.t("orders.col_answer"))</th>\
            <th scope="col">\(l.t("orders.col_delivery"))</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }
}
