import TuanDomain

/// What the forecasts learn from.
public protocol HistoryRepository {
    func campaignHistories(category: String?, sku: String?, statuses: [CampaignStatus], id: Int64?) throws -> [CampaignHistoryRecord]
    func orderedQuantities(sku: String, since: Int64) throws -> [(createdAt: Int64, quantity: Int64)]
    /// For planning every SKU at once: per SKU, what `campaignHistories(sku:)` gives a SKU that
    /// no campaign of items sells (live campaigns, and those closing at `since` or later), read
    /// whole. Plans read it through a kept copy (the three reads below); this is what that copy
    /// is held to.
    func planHistories(since: Int64) throws -> [String: [CampaignHistoryRecord]]
    /// Moves whenever any finished campaign's history does (one finishes, or a pledge of one
    /// changes status): while it stands, every `finishedCampaignChanges` answer does too.
    func finishedHistoryVersion() throws -> Int64
    /// Every finished campaign closing at `since` or later (of items too), with how often a
    /// pledge of it changed status after its close: what tells that a copy of its history kept
    /// from an earlier read still stands. No pledges, no joins: a range of an index.
    func finishedCampaignChanges(since: Int64) throws -> [(id: Int64, outcomeChanges: Int64)]
    /// Of `planHistories`, the finished campaigns (those with these ids, or all), with their
    /// pledges, each with its `outcome_changes` as read with them.
    func finishedPlanHistories(since: Int64, ids: [Int64]?) throws -> [(record: CampaignHistoryRecord, outcomeChanges: Int64)]
    /// Of `planHistories`, the live (open or tipped) campaigns, with their pledges.
    func livePlanHistories() throws -> [CampaignHistoryRecord]
    /// Campaigns of items among those of `statuses`.
    func itemCampaignIDs(statuses: [CampaignStatus]) throws -> Set<Int64>
    /// SKUs some campaign sells as an item (their plans read their lines, SKU by SKU).
    func itemSKUs() throws -> Set<String>
    /// `orderedQuantities` of every SKU, by SKU.
    func orderedQuantitiesBySKU(since: Int64) throws -> [String: [(createdAt: Int64, quantity: Int64)]]
    /// `subscriptionDeliveries(sku:from:)` of every SKU, by SKU.
    func subscriptionDeliveriesBySKU(from: Timestamp) throws -> [String: [(week: Timestamp, quantity: Int64)]]
    /// Every line of the campaign's pledges: SKU, units, when placed, and when cancelled.
    func itemLines(campaignID: Int64) throws -> [ItemLineRecord]
    /// Finished campaigns of items whose products are of `style` (or, with `style` nil, of any
    /// style in `category`): each one's committed units at close per SKU, with the SKU's
    /// attributes (what tells a size from a size across styles).
    func itemHistories(style: String?, category: String) throws -> [(campaignID: Int64, sku: String, attributes: String, units: Int64)]
    /// Changes whenever the history of `category` does: a cache key.
    func historyVersion(category: String) throws -> String
}

/// One line of a pledge, as item forecasts count it.
public struct ItemLineRecord: Sendable, Hashable {
    public var sku: String
    public var quantity: Int64
    public var createdAt: Int64
    /// When its pledge was cancelled, if it was.
    public var cancelledAt: Int64?

    public init(sku: String, quantity: Int64, createdAt: Int64, cancelledAt: Int64?) {
        self.sku = sku
        self.quantity = quantity
        self.createdAt = createdAt
        self.cancelledAt = cancelledAt
    }

    /// Whether it counted at `instant`: placed by then and not yet cancelled.
    public func counts(at instant: Int64) -> Bool { createdAt <= instant && (cancelledAt.map { $0 > instant } ?? true) }
}
