import TuanDomain
import TuanHTTP
import TuanApp

extension TuanAPI {
    func addForecastRoutes(to router: inout Router<TuanContext>) {
        let app = self.app, clock = self.clock, models = self.forecastModels

        router.get("/v1/forecasts/campaigns/{id}") { request, context in
            _ = try context.require(Permission.readForecasts)
            let (id, csvSuffix) = try Self.idWithCSVSuffix(context)
            let now = clock().seconds
            let forecast = try await app.snapshot { db in try CampaignForecast.make(campaignID: id, at: now, models: models, in: db) }
            if csvSuffix || Self.wantsCSV(request) { return .csv(forecast.csv, filename: "campaign-\(id)-forecast.csv") }
            return .json(200, forecast.json)
        }

        // Every SKU's plan at once (a page of them: ?limit=1-1000, ?after=SKU), of one category or supplier.
        router.get("/v1/forecasts/skus") { request, context in
            _ = try context.require(Permission.readForecasts)
            let (weeks, category, supplierID) = try Self.planFilter(request)
            let limit = try request.query["limit"].map(Self.integer("limit")) ?? 100
            guard (1...1_000).contains(limit) else { throw DomainError.invalid("limit", "must be between 1 and 1000") }
            let after = request.query["after"], now = clock().seconds
            let plans = try await app.snapshot { db in
                try SKUForecast.makeAll(category: category, supplierID: supplierID, after: after, limit: Int(limit) + 1, weeks: weeks,
                                        at: now, models: models, subscriptionWeeks: app.subscriptionPolicy.weeks, in: db)
            }
            let page = Array(plans.prefix(Int(limit)))
            if Self.wantsCSV(request) { return .csv(SKUForecast.csv(page), filename: "plans.csv") }
            return .json(200, ["plans": .array(page.map(\.json)),
                               "next_after": plans.count > page.count ? .string(page.last!.product.sku) : .null])
        }
        router.get("/v1/forecasts/skus.csv") { request, context in
            _ = try context.require(Permission.readForecasts)
            let (weeks, category, supplierID) = try Self.planFilter(request)
            let now = clock().seconds
            let plans = try await app.snapshot { db in
                try SKUForecast.makeAll(category: category, supplierID: supplierID, weeks: weeks, at: now, models: models,
                                        subscriptionWeeks: app.subscriptionPolicy.weeks, in: db)
            }
            return .csv(SKUForecast.csv(plans), filename: "plans.csv")
        }
        // Every live campaign's projection at once.
        router.get("/v1/forecasts/campaigns") { request, context in
            _ = try context.require(Permission.readForecasts)
            let now = clock().seconds
            let forecasts = try await app.snapshot { db in try CampaignForecast.makeAll(at: now, models: models, in: db) }
            return .json(200, ["campaigns": .array(forecasts.map(\.summaryJSON))])
        }

        router.get("/v1/forecasts/skus/{sku}") { request, context in
            _ = try context.require(Permission.readForecasts)
            let (sku, csvSuffix) = Self.parameterWithCSVSuffix(context, "sku")
            let weeks = try request.query["weeks"].map(Self.integer("weeks")) ?? 8
            guard (1...52).contains(weeks) else { throw DomainError.invalid("weeks", "must be between 1 and 52") }
            let now = clock().seconds
            let forecast = try await app.snapshot { db in
                try SKUForecast.make(sku: sku, weeks: Int(weeks), at: now, models: models, subscriptionWeeks: app.subscriptionPolicy.weeks, in: db)
            }
            if csvSuffix || Self.wantsCSV(request) { return .csv(forecast.csv, filename: "\(sku)-plan.csv") }
            return .json(200, forecast.json)
        }
    }
}

extension TuanAPI {
    /// What a list of plans is of: `?weeks=` (1-52, default 8), `?category=`, `?supplier_id=`.
    static func planFilter(_ request: HTTPRequest) throws -> (weeks: Int, category: String?, supplierID: Int64?) {
        let weeks = try request.query["weeks"].map(integer("weeks")) ?? 8
        guard (1...52).contains(weeks) else { throw DomainError.invalid("weeks", "must be between 1 and 52") }
        return (Int(weeks), request.query["category"], try request.query["supplier_id"].map(integer("supplier_id")))
    }
}
