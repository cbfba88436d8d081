import TuanDomain

/// Everything the application reads and writes, inside one transaction. The storage boundary:
/// an engine implements these and `StorageEngine`, and nothing in the domain or the
/// application changes. Implementations decide nothing; every rule ran before a write reaches them.
public protocol Repositories: CatalogRepository, CampaignRepository, PledgeRepository, CommunityRepository, LedgerRepository,
                              PurchaseOrderRepository, OutboxRepository, SubscriptionRepository, TokenRepository, HistoryRepository,
                              SettlementRepository, SettingsRepository, RefundRepository, EventRepository,
                              WebhookEndpointRepository, BasketRepository, HandoutRepository,
                              PickupPointRepository, OrderCycleRepository {
    /// Applies a changeset whole: new team, new pledge (and its entries), updates, counter
    /// deltas, journal entries, purchase orders with their outbox messages. A new pledge whose
    /// idempotency key is taken throws `RepositoryConflict.idempotencyKeyTaken` before
    /// anything is written.
    func apply(_ changeset: Changeset, at now: Timestamp) throws -> AppliedChangeset
    func schemaVersion() throws -> Int
}

/// The ids a changeset's inserts were given.
public struct AppliedChangeset: Sendable {
    public var pledgeID: Int64?
    public var teamID: Int64?
    public var purchaseOrders: [PurchaseOrder]

    public init(pledgeID: Int64? = nil, teamID: Int64? = nil, purchaseOrders: [PurchaseOrder] = []) {
        self.pledgeID = pledgeID
        self.teamID = teamID
        self.purchaseOrders = purchaseOrders
    }
}

/// A write refused by the storage for a reason the application handles.
public enum RepositoryConflict: Error, Sendable {
    /// Another pledge holds the idempotency key (the application answers with it).
    case idempotencyKeyTaken
    /// The row changed since it was loaded.
    case changedMeanwhile
    /// A counter would leave the range the storage holds.
    case counterOverflow(String)
}
