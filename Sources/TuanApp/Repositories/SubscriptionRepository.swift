import TuanDomain

/// Standing pre-orders and their weekly cut-offs.
public protocol SubscriptionRepository {
    /// The subscription placed under an idempotency key, with the fingerprint of its request.
    func subscription(idempotencyScope scope: String, key: String) throws -> (id: Int64, fingerprint: String)?
    /// Inserts a decided subscription; returns it with its id.
    func insertSubscription(_ subscription: Subscription, scope: String, idempotencyKey: String, fingerprint: String,
                            at now: Timestamp) throws -> Subscription
    /// Saves the status, progress and new skipped weeks of a subscription.
    func saveSubscription(_ subscription: Subscription, previous: Subscription) throws
    func subscription(id: Int64) throws -> Subscription?
    func subscriptions(sku: String?, consumerID: String?, status: Subscription.Status?, running: Bool, limit: Int) throws -> [Subscription]
    /// Units per delivery asked by the supplier's subscriptions that have not ended.
    func subscribedUnits(supplierID: Int64) throws -> Int64
    func subscribedSKUs() throws -> [String]
    /// The latest week cut off, and the first week of any running subscription.
    func cutOffProgress() throws -> (lastCutWeek: Timestamp?, firstRunningWeek: Timestamp?)
    func isCutOff(week: Timestamp) throws -> Bool
    /// Stores a decided cut-off: its orders (with outbox messages), deliveries, subscriptions'
    /// progress and the record that the week is done; returns it with the orders' ids.
    func saveCutOff(_ cutOff: SubscriptionCutOff, week: Timestamp, previous: [Subscription], at now: Timestamp) throws -> SubscriptionCutOff
    func subscriptionDeliveries(sku: String, from: Timestamp) throws -> [(week: Timestamp, quantity: Int64)]
    func deliveries(subscriptionID: Int64) throws -> [(week: Timestamp, quantity: Int64, purchaseOrderID: Int64?)]
}
