import TuanDomain

extension TuanApplication {
    /// Campaigns with every pledge they received, as the forecasts learn from them.
    public func campaignHistories(category: String? = nil, sku: String? = nil, statuses: [CampaignStatus],
                                  id: Int64? = nil) -> UseCase<[CampaignHistoryRecord]> {
        UseCase(self, .read) { try $0.campaignHistories(category: category, sku: sku, statuses: statuses, id: id) }
    }

    /// Units ordered of `sku` since `since`, by order time.
    public func orderedQuantities(sku: String, since: Int64) -> UseCase<[(createdAt: Int64, quantity: Int64)]> {
        UseCase(self, .read) { try $0.orderedQuantities(sku: sku, since: since) }
    }

    public func historyVersion(category: String) -> UseCase<String> {
        UseCase(self, .read) { try $0.historyVersion(category: category) }
    }

    /// The SKUs running subscriptions stand for.
    public func subscribedSKUs() -> UseCase<[String]> {
        UseCase(self, .read) { try $0.subscribedSKUs() }
    }

    /// Units of `sku` already cut off per delivery week, from `from` on.
    public func subscriptionDeliveries(sku: String, from: Timestamp) -> UseCase<[(week: Timestamp, quantity: Int64)]> {
        UseCase(self, .read) { try $0.subscriptionDeliveries(sku: sku, from: from) }
    }
}
