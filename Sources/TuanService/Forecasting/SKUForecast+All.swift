import Foundation
import TuanDomain
import TuanForecast
import TuanApp

extension SKUForecast {
    /// Every SKU's plan (of one category or supplier when given), by SKU: the inputs of all of
    /// them read with one set-based query per table, not per SKU, the models fitted once per
    /// category (and kept while its history stands), and each plan computed from the loaded
    /// arrays, on every core. SKUs that campaigns of items sell read their lines SKU by SKU.
    /// Each plan is exactly the one `make(sku:…)` gives (a test holds them to it).
    /// `after` and `limit` page through the SKUs in order.
    /// `only`: just these SKUs (a dashboard's).
    static func makeAll(category: String? = nil, supplierID: Int64? = nil, only: Set<String>? = nil, after: String? = nil,
                        limit: Int = .max, weeks: Int, at now: Int64, models: ForecastModels, subscriptionWeeks grid: WeekGrid = .utc,
                        in db: any Repositories) throws -> [SKUForecast] {
        let products = Array(try db.products().filter { product in
            (category.map { product.category == $0 } ?? true) && (supplierID.map { product.supplierID == $0 } ?? true)
                && (after.map { product.sku > $0 } ?? true) && (only.map { $0.contains(product.sku) } ?? true)
        }.sorted { $0.sku < $1.sku }.prefix(limit))
        guard !products.isEmpty else { return [] }
        let historyStart = historyStart(at: now)
        let itemSKUs = try db.itemSKUs()
        let records = try models.planHistories.histories(since: historyStart, in: db)
        let subscriptions = Dictionary(grouping: try db.subscriptions(sku: nil, consumerID: nil, status: nil, running: true, limit: .max),
                                       by: \.sku)
        let deliveries = try db.subscriptionDeliveriesBySKU(from: deliveriesSince(at: now, grid: grid))
        let ordered = try db.orderedQuantitiesBySKU(since: historyStart)
        var stock: [String: Int64] = [:]
        for (sku, quantity) in try db.stockLevels() { stock[sku] = quantity }
        let fitted = try models.models(for: Set(products.map(\.category)).sorted(), in: db)
        var inputs: [Inputs] = []
        inputs.reserveCapacity(products.count)
        for product in products {
            if itemSKUs.contains(product.sku) {
                inputs.append(try load(sku: product.sku, at: now, models: models, grid: grid, in: db))
                continue
            }
            inputs.append(Inputs(product: product, fitted: fitted[product.category]!, records: records[product.sku] ?? [], itemForecasts: [:],
                                 subscriptions: subscriptions[product.sku] ?? [], deliveries: deliveries[product.sku] ?? [],
                                 ordered: ordered[product.sku] ?? [], stock: stock[product.sku] ?? 0))
        }
        return computeAll(inputs, weeks: weeks, at: now, grid: grid)
    }

    /// The plans of `inputs` in their order, split over the cores (each plan is independent).
    static func computeAll(_ inputs: [Inputs], weeks: Int, at now: Int64, grid: WeekGrid) -> [SKUForecast] {
        ParallelSlots.map(inputs.count, perSlice: 64) { compute(inputs[$0], weeks: weeks, at: now, grid: grid) }
    }
}

extension CampaignForecast {
    /// Every live (open or tipped) campaign's projection, soonest close first: one query for
    /// all their pledges, the models fitted once per category; campaigns of items add their
    /// items' projections. Each is the one `make(campaignID:…)` gives.
    static func makeAll(at now: Int64, models: ForecastModels, in db: any Repositories) throws -> [CampaignForecast] {
        let records = try db.campaignHistories(category: nil, sku: nil, statuses: [.open, .tipped], id: nil)
        let fitted = try models.models(for: Set(records.map(\.category)).sorted(), in: db)
        let withItems = try db.itemCampaignIDs(statuses: [.open, .tipped])
        // Campaigns of items read their lines here, on this read; the rest are pure arithmetic
        // over the loaded records, split over the cores like the SKU plans.
        var madeWithItems: [Int: CampaignForecast] = [:]
        for (index, record) in records.enumerated() where withItems.contains(record.id) {
            madeWithItems[index] = try make(campaignID: record.id, at: now, models: models, in: db)
        }
        let itemForecasts = madeWithItems
        return ParallelSlots.map(records.count, perSlice: 16) { index in
            itemForecasts[index] ?? make(record: records[index], at: now, fitted: fitted[records[index].category]!)
        }
    }
}
