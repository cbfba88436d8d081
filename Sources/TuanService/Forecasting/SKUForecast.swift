import TuanDomain
import TuanForecast
import TuanApp

/// A planner's view of one SKU: the week-by-week plan (firm and projected demand by the week
/// it is due for delivery, and the smoothed orders recommended) plus the bullwhip measured on
/// its trailing history.
struct SKUForecast: Sendable {
    struct BullwhipMeasure: Sendable {
        var windowWeeks: Int
        var demand: [Double]
        var orders: [Double]
        /// Var(orders actually sent) / Var(consumer demand).
        var actual: Double?
        /// What order-up-to with a 4-week moving average would have produced on the same demand.
        var classic: Double?
        /// What the recommended smoothing policy would have produced on the same demand.
        var recommended: Double?
    }

    var product: Product
    var asOf: Int64
    var plan: SKUPlan
    var bullwhip: BullwhipMeasure
    var openCampaigns: [CampaignForecast]
    /// Of the firm units per plan week, those standing subscriptions deliver.
    var subscriptionUnits: [Double]
    /// Units on hand (over-deliveries, surplus): the next campaign is served from them first.
    var stockUnits: Int64 = 0

    /// Close to delivery when the store gives no delivery date (a history made by hand).
    static let deliveryLag = PurchaseOrder.defaultLeadDays * 86_400
    static let trailingWeeks = 26

    /// What one SKU's plan is computed from, loaded per SKU (`load`) or for many SKUs at once
    /// (`SKUForecast+All`): the same values either way, so both give the same plan.
    struct Inputs: Sendable {
        var product: Product
        var fitted: ForecastModels.Fitted
        /// Campaigns selling the SKU that closed in the trailing window or are still live, by
        /// close time (`campaignHistories` order).
        var records: [CampaignHistoryRecord]
        /// Forecasts of the live campaigns of items among `records` (made with their items).
        var itemForecasts: [Int64: CampaignForecast]
        var subscriptions: [Subscription]
        var deliveries: [(week: Timestamp, quantity: Int64)]
        var ordered: [(createdAt: Int64, quantity: Int64)]
        var stock: Int64
    }

    /// The window a plan reads, from the plan's first week.
    static func historyStart(at now: Int64) -> Int64 { Week.start(of: now) - Int64(trailingWeeks) * Week.seconds }

    /// Where the stored subscription deliveries are read from.
    static func deliveriesSince(at now: Int64, grid: WeekGrid) -> Timestamp {
        let historyStart = historyStart(at: now)
        return min(WeekGrid.utc.moving(Timestamp(seconds: historyStart), to: grid), Timestamp(seconds: historyStart))
    }

    /// `subscriptionWeeks`: the deployment's grid; a subscription week counts in the plan's
    /// (UTC) week of the same date.
    static func make(sku: String, weeks: Int, at now: Int64, models: ForecastModels, subscriptionWeeks grid: WeekGrid = .utc,
                     in db: any Repositories) throws -> SKUForecast {
        compute(try load(sku: sku, at: now, models: models, grid: grid, in: db), weeks: weeks, at: now, grid: grid)
    }

    /// One SKU's inputs, a query or two each.
    static func load(sku: String, at now: Int64, models: ForecastModels, grid: WeekGrid, in db: any Repositories) throws -> Inputs {
        let product = try db.requireProduct(sku: sku)
        let historyStart = historyStart(at: now)
        let records = try db.campaignHistories(category: nil, sku: sku, statuses: [.open, .tipped, .succeeded, .failed], id: nil)
            .filter { $0.closesAt >= historyStart || !$0.status.isFinal }
        return Inputs(product: product, fitted: try models.models(for: product.category, in: db), records: records,
                      itemForecasts: try itemForecasts(records, at: now, models: models, in: db),
                      subscriptions: try db.subscriptions(sku: sku, consumerID: nil, status: nil, running: true, limit: .max),
                      deliveries: try db.subscriptionDeliveries(sku: sku, from: deliveriesSince(at: now, grid: grid)),
                      ordered: try db.orderedQuantities(sku: sku, since: historyStart), stock: try db.stockLevel(sku: sku))
    }

    /// The live campaigns of items among `records`, projected with their items.
    static func itemForecasts(_ records: [CampaignHistoryRecord], at now: Int64, models: ForecastModels,
                              in db: any Repositories) throws -> [Int64: CampaignForecast] {
        var forecasts: [Int64: CampaignForecast] = [:]
        for record in records where !record.status.isFinal {
            guard let campaign = try db.campaign(id: record.id), campaign.sellsItems else { continue }
            forecasts[record.id] = try CampaignForecast.make(campaignID: record.id, at: now, models: models, in: db)
        }
        return forecasts
    }

    /// The plan from its inputs: pure arithmetic over the loaded arrays.
    static func compute(_ inputs: Inputs, weeks: Int, at now: Int64, grid: WeekGrid) -> SKUForecast {
        let sku = inputs.product.sku, fitted = inputs.fitted
        let thisWeek = Week.start(of: now)
        let weekStarts = (0..<weeks).map { thisWeek + Int64($0) * Week.seconds }
        let historyStart = historyStart(at: now)

        func weekIndex(_ instant: Int64) -> Int? {
            let offset = Week.start(of: instant) - thisWeek
            guard offset >= 0 else { return nil }
            let index = Int(offset / Week.seconds)
            return index < weeks ? index : nil
        }

        /// Index of the trailing week holding `instant`, if it falls inside the window.
        func trailingIndex(_ instant: Int64) -> Int? {
            let offset = Week.start(of: instant) - historyStart
            guard offset >= 0, offset < Int64(trailingWeeks) * Week.seconds else { return nil }
            return Int(offset / Week.seconds)
        }

        var firm = [Double](repeating: 0, count: weeks), projected = [Double](repeating: 0, count: weeks)
        var demandHistory = [Double](repeating: 0, count: trailingWeeks)
        var open = [CampaignForecast]()
        for record in inputs.records {
            // Consumer demand by the week it was pledged, for the trailing history.
            for pledge in record.pledges where pledge.status != .cancelled {
                if let index = trailingIndex(pledge.createdAt) { demandHistory[index] += Double(pledge.units) }
            }
            switch record.status {
            case .succeeded:
                guard let index = weekIndex(record.deliveryAt ?? (record.closedAt ?? record.closesAt) + deliveryLag) else { continue }
                for pledge in record.pledges {
                    if pledge.status == .paid { firm[index] += Double(pledge.units) }
                    if pledge.status == .confirmed { firm[index] += Double(pledge.units) * fitted.conversion.rate(record.segment(of: pledge)) }
                }
            case .open, .tipped:
                // A campaign of items that sells this SKU: the whole campaign's projection, of
                // which this item takes its projected share.
                if let forecast = inputs.itemForecasts[record.id] {
                    open.append(forecast)
                    let share = forecast.items?.items.first { $0.key == sku }?.share ?? 0
                    if let index = weekIndex(record.deliveryAt ?? record.closesAt + deliveryLag) { projected[index] += forecast.expectedDeliveredUnits * share }
                    continue
                }
                let forecast = CampaignForecast.make(record: record, at: now, fitted: fitted)
                open.append(forecast)
                if let index = weekIndex(record.deliveryAt ?? record.closesAt + deliveryLag) { projected[index] += forecast.expectedDeliveredUnits }
            default: continue
            }
        }
        // Subscriptions are firm demand for the weeks they deliver: those already cut off, and
        // those their schedule (pauses, skips, notice, period count) still holds.
        var standing = [Double](repeating: 0, count: weeks)
        let planEnd = Timestamp(seconds: thisWeek + Int64(weeks) * Week.seconds)
        for subscription in inputs.subscriptions {
            let from = WeekGrid.utc.moving(Timestamp(seconds: thisWeek), to: grid), until = WeekGrid.utc.moving(planEnd, to: grid)
            for week in subscription.deliveryWeeks(from: from, until: until, weeks: grid) {
                if let index = weekIndex(grid.moving(week, to: .utc).seconds) { standing[index] += Double(subscription.quantity) }
            }
        }
        for (stored, quantity) in inputs.deliveries {
            let week = grid.moving(stored, to: .utc)
            if let index = weekIndex(week.seconds) { standing[index] += Double(quantity) }
            if let index = trailingIndex(week.seconds) { demandHistory[index] += Double(quantity) }
        }
        for index in 0..<weeks { firm[index] += standing[index] }
        let plan = SKUPlan(sku: sku, weekStarts: weekStarts, firm: firm, projected: projected,
                           baseline: Array(demandHistory.dropLast()))

        var orders = [Double](repeating: 0, count: trailingWeeks)
        for (createdAt, quantity) in inputs.ordered {
            if let index = trailingIndex(createdAt) { orders[index] += Double(quantity) }
        }
        return SKUForecast(product: inputs.product, asOf: now, plan: plan, bullwhip: bullwhip(demand: demandHistory, orders: orders),
                           openCampaigns: open, subscriptionUnits: standing, stockUnits: inputs.stock)
    }

    /// The week in progress is partial on both sides; the window is the finished weeks.
    private static func bullwhip(demand demandHistory: [Double], orders: [Double]) -> BullwhipMeasure {
        let demand = Array(demandHistory.dropLast()), sent = Array(orders.dropLast())
        return BullwhipMeasure(windowWeeks: demand.count, demand: demand, orders: sent,
                               actual: Bullwhip.ratio(orders: sent, demand: demand),
                               classic: Bullwhip.ratio(of: .classic, on: demand, warmUp: 4),
                               recommended: Bullwhip.ratio(of: .recommended, on: demand, warmUp: 4))
    }
}
