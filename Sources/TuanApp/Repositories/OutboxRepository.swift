import TuanDomain

/// Messages waiting to be pushed to suppliers, and their attempts.
public protocol OutboxRepository {
    /// Leases up to `limit` due messages until `now + leaseSeconds`.
    func claimDueDeliveries(at now: Timestamp, limit: Int, leaseSeconds: Int64) throws -> [OutboxMessage]
    /// When the next pending message becomes due.
    func nextDeliveryDue() throws -> Timestamp?
    /// Records an attempt (if one was made) and moves the message on.
    func recordDelivery(outboxID: Int64, attempt: DeliveryAttempt?, decision: DeliveryDecision, at now: Timestamp) throws
    func deliveryStatus(purchaseOrderID: Int64) throws -> DeliveryStatus?
    /// The order a message carries.
    func purchaseOrderID(outboxID: Int64) throws -> Int64?
    /// Puts a dead or held message back in the queue, due now.
    func requeueDelivery(purchaseOrderID: Int64, at now: Timestamp) throws
}
