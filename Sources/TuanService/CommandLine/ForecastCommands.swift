import Foundation
import TuanDomain
import TuanForecast
import TuanApp
import TuanSQLite

enum ForecastCommands {
    static var all: [CommandSpec] { [campaign, sku, plan, campaigns, benchHistory, backtest, sizeMix, simulate] }

    /// Seconds a closure took on the monotonic clock.
    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let started = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        return (result, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
    }

    /// `--passes N` (1-20, default 1), each at `now`, then with `--later S` (1-86400) one more
    /// at `now + S` (what a refresh a minute later costs): the last pass's result and each
    /// pass's seconds.
    static func passes<T>(_ args: ParsedArguments, now: Int64, _ body: (Int64) throws -> T) throws -> (T, [Double]) {
        let count = Int(try args.int("passes") ?? 1)
        guard (1...20).contains(count) else { throw DomainError.invalid("passes", "must be between 1 and 20") }
        let later = try args.int("later")
        if let later, !(1...86_400).contains(later) { throw DomainError.invalid("later", "must be between 1 and 86400 seconds") }
        var times: [Double] = []
        var last: T?
        for instant in Array(repeating: now, count: count) + (later.map { [now + $0] } ?? []) {
            let (result, seconds) = try timed { try body(instant) }
            last = result
            times.append(seconds)
        }
        return (last!, times)
    }

    static let laterOption = OptionSpec.value("later", "S", "with --passes: one more pass S seconds later on the clock (projections are as of the minute)")

    /// What `--passes` prints: each pass's time, and the counts and times as JSON.
    static func passesOutput(_ times: [Double], count: Int, of noun: String) -> CommandOutput {
        CommandOutput(text: times.enumerated().map { "pass \($0 + 1): \(count) \(noun) in \(String(format: "%.3f", $1)) s" }.joined(separator: "\n"),
                      json: [noun: .int(Int64(count)), "seconds": .array(times.map { .double($0) })])
    }

    static let plan = CommandSpec(
        path: ["forecast", "plan"], summary: "every SKU's weekly plan at once (of one category or supplier when given)",
        options: [.flag("all", "every SKU (required: the plans of all SKUs)"), .value("category", "NAME", "only this category"),
                  .value("supplier", "ID", "only this supplier's SKUs"), .value("weeks", "N", "weeks ahead, 1-52 (default 8)"),
                  .flag("csv", "print one CSV row per SKU and week"),
                  .value("passes", "N", "compute the plans N times in this process, printing each pass's time (the first fits the models: cold; the rest warm)"),
                  laterOption]
    ) { args, ctx in
        guard args.flag("all") else { throw DomainError.invalid("all", "is required: tuan forecast plan --all (one SKU: tuan forecast sku)") }
        let weeks = Int(try args.int("weeks") ?? 8), now = ctx.now.seconds
        guard (1...52).contains(weeks) else { throw DomainError.invalid("weeks", "must be between 1 and 52") }
        let category = args.value("category"), supplierID = try args.int("supplier")
        let models = ForecastModels(), app = try ctx.app()
        let (plans, times) = try passes(args, now: now) { now in
            try app.snapshotBlocking { db in
                try SKUForecast.makeAll(category: category, supplierID: supplierID, weeks: weeks, at: now, models: models,
                                        subscriptionWeeks: app.subscriptionPolicy.weeks, in: db)
            }
        }
        if args.value("passes") != nil { return passesOutput(times, count: plans.count, of: "plans") }
        if args.flag("csv") { return .csv(SKUForecast.csv(plans)) }
        let text = plans.map { forecast in
            let firm = forecast.plan.weeks.reduce(0) { $0 + $1.firm }, projected = forecast.plan.weeks.reduce(0) { $0 + $1.projected }
            let orders = forecast.plan.weeks.reduce(Int64(0)) { $0 + $1.recommendedOrder }
            return "\(forecast.product.sku)\tfirm \(format(firm))\tprojected \(format(projected))\torders \(orders)\tbullwhip \(ratioText(forecast.bullwhip.actual))"
        }.joined(separator: "\n")
        return CommandOutput(text: plans.isEmpty ? "no products" : text, json: .array(plans.map(\.json)))
    }

    static let campaigns = CommandSpec(
        path: ["forecast", "campaigns"], summary: "every live campaign's projection: P10/P50/P90, P(tip), firm and projected units",
        options: [.value("passes", "N", "compute them N times in this process, printing each pass's time (the first cold, the rest warm)"),
                  laterOption]
    ) { args, ctx in
        let now = ctx.now.seconds, models = ForecastModels(), app = try ctx.app()
        let (forecasts, times) = try passes(args, now: now) { now in
            try app.snapshotBlocking { db in try CampaignForecast.makeAll(at: now, models: models, in: db) }
        }
        if args.value("passes") != nil { return passesOutput(times, count: forecasts.count, of: "campaigns") }
        let text = forecasts.map { f in
            "\(f.record.id)\t\(f.record.sku)\tP50 \(format(f.projection.p50))\tP(tip) \(String(format: "%.0f%%", f.projection.tipProbability * 100))\tfirm \(format(f.firmUnits))\tprojected \(format(f.projectedUnits))"
        }.joined(separator: "\n")
        return CommandOutput(text: forecasts.isEmpty ? "no live campaigns" : text, json: .array(forecasts.map(\.summaryJSON)))
    }

    static let campaign = CommandSpec(
        path: ["forecast", "campaign"], summary: "project a campaign's final quantity (P10/P50/P90) and its chance to tip",
        positionals: ["id"], options: [.flag("csv", "print the observed and projected curve as CSV")]
    ) { args, ctx in
        let id = try args.positionalID(0, name: "id"), now = ctx.now.seconds
        let models = ForecastModels()
        let forecast = try ctx.app().snapshotBlocking { db in try CampaignForecast.make(campaignID: id, at: now, models: models, in: db) }
        if args.flag("csv") { return .csv(forecast.csv) }
        let p = forecast.projection
        let text = """
            campaign \(id) (\(forecast.record.sku), \(forecast.record.status.rawValue)), \(Int(p.elapsed * 100))% of its window elapsed
            committed \(p.committed) of threshold \(p.threshold)\(p.cap.map { ", cap \($0)" } ?? "")
            final units P10 \(format(p.p10))  P50 \(format(p.p50))  P90 \(format(p.p90))  (mean \(format(p.mean)))
            tip probability \(String(format: "%.1f%%", p.tipProbability * 100))
            firm \(format(forecast.firmUnits)) units (deposits, after expected defaults), projected \(format(forecast.projectedUnits)) more
            learned from \(p.historyCampaigns) finished campaigns in '\(forecast.record.category)'\(p.usedPrior ? " (prior only)" : "")
            """
        return CommandOutput(text: text, json: forecast.json)
    }

    static let sku = CommandSpec(
        path: ["forecast", "sku"], summary: "weekly plan for a SKU: firm and projected demand, recommended orders, bullwhip",
        positionals: ["sku"], options: [.value("weeks", "N", "weeks ahead, 1-52 (default 8)"), .flag("csv", "print the plan as CSV")]
    ) { args, ctx in
        let sku = args.positionals[0], now = ctx.now.seconds
        let weeks = Int(try args.int("weeks") ?? 8)
        guard (1...52).contains(weeks) else { throw DomainError.invalid("weeks", "must be between 1 and 52") }
        let models = ForecastModels()
        let app = try ctx.app()
        let forecast = try app.snapshotBlocking { db in
            try SKUForecast.make(sku: sku, weeks: weeks, at: now, models: models, subscriptionWeeks: app.subscriptionPolicy.weeks, in: db)
        }
        if args.flag("csv") { return .csv(forecast.csv) }
        var lines = ["\(sku): \(forecast.plan.policy.name)", "week        firm  projected  order  position"]
        for week in forecast.plan.weeks {
            lines.append("\(Timestamp(seconds: week.start).rfc3339.prefix(10))  \(pad(format(week.firm), 6))  \(pad(format(week.projected), 9))  \(pad(String(week.recommendedOrder), 5))  \(pad(format(week.inventoryPosition), 8))")
        }
        let b = forecast.bullwhip
        lines.append("order variance ratio of the plan: \(ratioText(forecast.plan.orderVarianceRatio))")
        lines.append("bullwhip over \(b.windowWeeks) weeks: actual \(ratioText(b.actual)), classic order-up-to \(ratioText(b.classic)), recommended \(ratioText(b.recommended))")
        return CommandOutput(text: lines.joined(separator: "\n"), json: forecast.json)
    }

    static let benchHistory = CommandSpec(
        path: ["forecast", "bench-history"],
        summary: "write a large planning history straight into a fresh database, for Scripts/bench-forecast (no ledger: a bench fixture)",
        options: [.value("skus", "N", "products (default 10000)"), .value("categories", "N", "categories (default 50)"),
                  .value("weeks", "N", "weeks of history (default 52)"), .value("seed", "N", "random seed (default 2026)"),
                  .value("now", "TIME", "where history ends (default now or $TUAN_NOW)")]
    ) { args, ctx in
        var spec = SyntheticHistoryWriter.Spec(now: (try args.timestamp("now") ?? ctx.now).seconds)
        spec.skus = Int(try args.int("skus") ?? 10_000)
        spec.categories = Int(try args.int("categories") ?? 50)
        spec.weeks = Int(try args.int("weeks") ?? 52)
        spec.seed = UInt64(try args.int("seed") ?? 2026)
        guard (1...100_000).contains(spec.skus) else { throw DomainError.invalid("skus", "must be 1-100000") }
        guard (1...1_000).contains(spec.categories) else { throw DomainError.invalid("categories", "must be 1-1000") }
        guard (1...520).contains(spec.weeks) else { throw DomainError.invalid("weeks", "must be 1-520") }
        _ = try ctx.app().schemaVersion().runBlocking()
        let (summary, seconds) = try timed { try SyntheticHistoryWriter(path: ctx.path).write(spec) }
        let text = "wrote \(summary.products) products, \(summary.campaigns) campaigns (\(summary.live) live), \(summary.pledges) pledges and \(summary.orders) orders in \(String(format: "%.1f", seconds)) s"
        return CommandOutput(text: text, json: ["products": .int(Int64(summary.products)), "campaigns": .int(Int64(summary.campaigns)),
                                                "live": .int(Int64(summary.live)), "pledges": .int(Int64(summary.pledges)),
                                                "orders": .int(Int64(summary.orders)), "seconds": .double(seconds)])
    }

    static let backtest = CommandSpec(
        path: ["forecast", "backtest"],
        summary: "score campaign projections on held-out finished campaigns; optionally write their series for other tools",
        options: [.value("holdout", "SHARE", "share of the newest finished campaigns held out (default 0.3)"),
                  .value("series-out", "FILE", "write held-out campaigns' per-bucket series as CSV (unique_id,bucket,y)"),
                  .value("rows-out", "FILE", "write every projection as CSV"),
                  .value("buckets", "N", "buckets per campaign window in --series-out (default 20)")]
    ) { args, ctx in
        let holdout = Double(args.value("holdout") ?? "0.3") ?? -1
        guard holdout > 0, holdout < 1 else { throw DomainError.invalid("holdout", "must be between 0 and 1") }
        let buckets = Int(try args.int("buckets") ?? 20)
        let records = try ctx.app().campaignHistories(statuses: [.succeeded, .failed]).runBlocking()
        let curves = records.map(\.curve)
        guard curves.count >= 20 else { throw DomainError(.conflict, "need at least 20 finished campaigns, found \(curves.count)") }
        let result = ForecastBacktest(curves: curves, holdout: holdout)
        if let path = args.value("series-out") {
            var rows = [["unique_id", "bucket", "y", "threshold", "final"]]
            for curve in result.heldOut {
                for (index, units) in curve.unitsPerBucket(buckets).enumerated() {
                    rows.append([String(curve.campaignID), String(index), String(units), String(curve.threshold), String(curve.finalQuantity)])
                }
            }
            try CSV.document(rows).write(toFile: path, atomically: true, encoding: .utf8)
        }
        if let path = args.value("rows-out") {
            var rows = [["campaign_id", "elapsed", "final", "threshold", "committed", "p10", "p50", "p90", "tip_probability"]]
            for row in result.rows {
                let p = row.projection
                rows.append([String(row.campaignID), String(row.elapsed), String(row.final), String(row.threshold), String(p.committed),
                             format(p.p10), format(p.p50), format(p.p90), String(format: "%.4f", p.tipProbability)])
            }
            try CSV.document(rows).write(toFile: path, atomically: true, encoding: .utf8)
        }
        var lines = ["history \(result.historyCount) campaigns, held out \(result.heldOut.count)",
                     "elapsed  tipping  WAPE   linear WAPE  P10-P90 coverage  pinball"]
        var checkpoints: [JSONValue] = []
        for c in result.checkpoints {
            lines.append("\(pad(String(format: "%.0f%%", c.elapsed * 100), 7))  \(pad(String(format: "%.1f%%", c.tippingAccuracy * 100), 7))  \(pad(String(format: "%.3f", c.wape), 5))  \(pad(String(format: "%.3f", c.linearWAPE), 11))  \(pad(String(format: "%.1f%%", c.coverage * 100), 16))  \(String(format: "%.2f", c.pinball))")
            checkpoints.append(["elapsed": .double(c.elapsed), "campaigns": .int(Int64(c.campaigns)), "tipping_accuracy": .double(c.tippingAccuracy),
                                "wape": .double(c.wape), "linear_wape": .double(c.linearWAPE), "coverage": .double(c.coverage),
                                "pinball": .double(c.pinball)])
        }
        return CommandOutput(text: lines.joined(separator: "\n"),
                             json: ["history": .int(Int64(result.historyCount)), "held_out": .int(Int64(result.heldOut.count)),
                                    "checkpoints": .array(checkpoints)])
    }

    static let simulate = CommandSpec(
        path: ["simulate"], summary: "write a seeded, realistic group-buy history into a fresh database",
        options: [.value("seed", "N", "random seed (default 42)"), .value("skus", "N", "products (default 24)"),
                  .value("weeks", "N", "weeks of history before now (default 26)"),
                  .value("styles", "N", "clothing styles sold as campaigns of 8 items each, 2 colours × 4 sizes (default 0)"),
                  .value("now", "TIME", "where history ends (default now or $TUAN_NOW); campaigns running then stay open"),
                  .value("order-cycle", "HH:MM", "every supplier orders once a day at this cut-off (UTC+8), its deliveries received in full (default: an order at each close)"),
                  .flag("quiet", "no progress bar")]
    ) { args, ctx in
        let now = try args.timestamp("now") ?? ctx.now
        var parameters = SyntheticMarket.Parameters(now: now.seconds)
        parameters.seed = UInt64(try args.int("seed") ?? 42)
        parameters.skus = Int(try args.int("skus") ?? 24)
        parameters.weeks = Int(try args.int("weeks") ?? 26)
        parameters.styles = Int(try args.int("styles") ?? 0)
        guard (0...200).contains(parameters.styles) else { throw DomainError.invalid("styles", "must be 0-200") }
        guard ((parameters.styles > 0 ? 0 : 1)...2_000).contains(parameters.skus) else { throw DomainError.invalid("skus", "must be 1-2000 (0 with styles)") }
        guard (1...520).contains(parameters.weeks) else { throw DomainError.invalid("weeks", "must be 1-520") }
        let market = SyntheticMarket(parameters)
        let quiet = args.flag("quiet") || args.flag("json")
        let started = Date()
        var loader = SimulationLoader(app: try ctx.app(), market: market, now: now.seconds)
        if let cutOff = args.value("order-cycle") { loader.orderCycle = try TuanAPI.orderCycle(cutOff: cutOff, offset: nil) }
        let summary = try loader.load { done, total, so in
            guard !quiet, done == total || done % 5 == 0 else { return }
            let width = 30, filled = width * done / max(1, total)
            ctx.standardError("\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                              + "] \(done)/\(total) campaigns, \(so.pledges) pledges" + (done == total ? "\n" : ""))
        }
        let seconds = Date().timeIntervalSince(started)
        let text = """
            simulated \(summary.campaigns) campaigns of \(summary.products) products from \(summary.suppliers) suppliers in \(String(format: "%.1f", seconds)) s
            \(summary.succeeded) succeeded, \(summary.failed) failed, \(summary.open) still open at \(now.rfc3339)
            \(summary.pledges) pledges (\(summary.cancelled) cancelled, \(summary.soldOutRefusals) turned away by caps), \(summary.paid) balances paid, \(summary.defaulted) defaulted
            \(summary.purchaseOrders) purchase orders
            """
        return CommandOutput(text: text, json: [
            "campaigns": .int(Int64(summary.campaigns)), "succeeded": .int(Int64(summary.succeeded)), "failed": .int(Int64(summary.failed)),
            "open": .int(Int64(summary.open)), "pledges": .int(Int64(summary.pledges)), "cancelled": .int(Int64(summary.cancelled)),
            "paid": .int(Int64(summary.paid)), "defaulted": .int(Int64(summary.defaulted)),
            "purchase_orders": .int(Int64(summary.purchaseOrders)), "products": .int(Int64(summary.products)),
        ])
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
    static func ratioText(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "n/a" }
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
