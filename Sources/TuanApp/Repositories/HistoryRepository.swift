import TuanDomain

/// What the forecasts learn from.
public protocol HistoryRepository {
    func campaignHistories(category: String?, sku: String?, statuses: [CampaignStatus], id: Int64?) throws -> [CampaignHistoryRecord]
    func orderedQuantities(sku: String, since: Int64) throws -> [(createdAt: Int64, quantity: Int64)]
    /// Changes whenever the history of `category` does: a cache key.
    func historyVersion(category: String) throws -> String
}
