import TuanDomain

/// Supplier order cycles: what waits for a daily cut-off, and the orders a cut-off sends.
public protocol OrderCycleRepository {
    func setSupplierOrderCycle(id: Int64, _ cycle: OrderCycle) throws
    /// Inserts a member (a campaign or a subscription week waiting for its cut-off); a second
    /// one for the same campaign or supplier week is refused by the store.
    func insertCycleMember(_ member: OrderCycleMember, at now: Timestamp) throws
    /// (supplier, cut-off) pairs with members still waiting at `now` or earlier, earliest first.
    func dueCutOffs(at now: Timestamp, limit: Int) throws -> [SupplierCutOff]
    /// The earliest cut-off anything waits for.
    func nextCutOffDue() throws -> Timestamp?
    /// Members of one supplier and cut-off not yet cut off, by id.
    func pendingCycleMembers(supplierID: Int64, cutOffAt: Timestamp) throws -> [OrderCycleMember]
    /// The member a campaign became, if its supplier works in cycles.
    func cycleMember(campaignID: Int64) throws -> OrderCycleMember?
    /// Marks members cut off, with their order (nil: nothing was ordered); throws
    /// `RepositoryConflict.changedMeanwhile` if one was cut off already.
    func assignCycleMembers(_ memberIDs: [Int64], purchaseOrderID: Int64?, at now: Timestamp) throws
    /// A supplier's subscription deliveries of `week` still without an order.
    func pendingSubscriptionDeliveries(supplierID: Int64, week: Timestamp) throws -> [SubscriptionDelivery]
    /// Gives deliveries their order.
    func assignSubscriptionDeliveries(_ deliveries: [SubscriptionDelivery], purchaseOrderID: Int64) throws
    /// The subscription deliveries an order holds (short ones included).
    func subscriptionDeliveries(purchaseOrderID: Int64) throws -> [SubscriptionDelivery]
    /// Marks deliveries short.
    func markDeliveriesShort(_ deliveries: [SubscriptionDelivery]) throws
}
