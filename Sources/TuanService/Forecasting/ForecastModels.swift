import Foundation
import TuanForecast
import TuanApp

/// Fitted models per product category, refitted only when the category's finished history
/// changes (a campaign closed) or after `maximumAge`, so a dashboard refresh does not
/// re-read every pledge ever made.
final class ForecastModels: @unchecked Sendable {
    struct Fitted {
        var version: String
        var fittedAt: Date
        var forecaster: CampaignForecaster
        var conversion: ConversionModel
    }

    private let lock = NSLock()
    private var byCategory: [String: Fitted] = [:]
    private let maximumAge: TimeInterval

    init(maximumAge: TimeInterval = 300) { self.maximumAge = maximumAge }

    /// Call from a store read (blocking work stays off the concurrency pool).
    func models(for category: String, in db: any Repositories) throws -> Fitted {
        let version = try db.historyVersion(category: category)
        lock.lock()
        let cached = byCategory[category]
        lock.unlock()
        if let cached, cached.version == version, Date().timeIntervalSince(cached.fittedAt) < maximumAge { return cached }
        let history = try db.campaignHistories(category: category, sku: nil, statuses: [.succeeded, .failed], id: nil)
        let fitted = Fitted(version: version, fittedAt: Date(), forecaster: CampaignForecaster(history: history.map(\.curve)),
                            conversion: ConversionModel(outcomes: history.flatMap(\.conversionOutcomes)))
        lock.lock()
        byCategory[category] = fitted
        lock.unlock()
        return fitted
    }
}
