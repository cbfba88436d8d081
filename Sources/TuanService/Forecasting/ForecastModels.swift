import Foundation
import TuanForecast
import TuanApp

/// Fitted models per product category, refitted only when what they learned from changes (a
/// campaign in the category closed, or a pledge of a finished one was paid, defaulted or
/// refunded: `historyVersion`), so a dashboard refresh does not re-read every pledge ever made
/// nor refit 50 categories. `maximumAge` is a safety net, a day by default.
final class ForecastModels: @unchecked Sendable {
    struct Fitted {
        var version: String
        var fittedAt: Date
        var forecaster: CampaignForecaster
        var conversion: ConversionModel
        /// Projections made with this model (a refit starts afresh).
        var projections = ProjectionCache()
    }

    /// The trailing plan history every SKU's plan reads, kept beside the models it is planned with.
    let planHistories = PlanHistoryCache()
    private let lock = NSLock()
    private var byCategory: [String: Fitted] = [:]
    private let maximumAge: TimeInterval

    init(maximumAge: TimeInterval = 86_400) { self.maximumAge = maximumAge }

    /// Call from a store read (blocking work stays off the concurrency pool).
    func models(for category: String, in db: any Repositories) throws -> Fitted {
        try models(for: [category], in: db)[category]!
    }

    /// Several categories' models: those not cached (or stale) are read a few at a time on this
    /// read (as many as there are cores, so only that many histories are in memory at once) and
    /// fitted side by side (a fit is pure arithmetic).
    func models(for categories: [String], in db: any Repositories) throws -> [String: Fitted] {
        var result: [String: Fitted] = [:]
        var stale: [(category: String, version: String)] = []
        for category in categories {
            let version = try db.historyVersion(category: category)
            lock.lock()
            let cached = byCategory[category]
            lock.unlock()
            if let cached, cached.version == version, Date().timeIntervalSince(cached.fittedAt) < maximumAge {
                result[category] = cached
            } else {
                stale.append((category, version))
            }
        }
        let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
        for start in stride(from: 0, to: stale.count, by: width) {
            let batch = Array(stale[start..<min(stale.count, start + width)])
            let histories = try batch.map { try db.campaignHistories(category: $0.category, sku: nil, statuses: [.succeeded, .failed], id: nil) }
            let fitted = ParallelSlots.map(batch.count, perSlice: 1) { index in
                Fitted(version: batch[index].version, fittedAt: Date(), forecaster: CampaignForecaster(history: histories[index].map(\.curve)),
                       conversion: ConversionModel(outcomes: histories[index].flatMap(\.conversionOutcomes)))
            }
            lock.lock()
            for (index, entry) in batch.enumerated() {
                byCategory[entry.category] = fitted[index]
                result[entry.category] = fitted[index]
            }
            lock.unlock()
        }
        return result
    }
}
