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
