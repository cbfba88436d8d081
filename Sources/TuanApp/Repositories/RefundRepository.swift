import TuanDomain

/// Refunds decided by Tuan: created with the journal entries that make them due (the store
/// records one for every entry with `JournalEntry.refundDue`), completed when paid out.
public protocol RefundRepository {
    func refund(id: Int64) throws -> Refund?
    /// Newest first, optionally of one status and one consumer.
    func refunds(status: Refund.Status?, consumerID: String?, pledgeID: Int64?, limit: Int) throws -> [Refund]
    func saveCompletedRefund(_ refund: Refund) throws
    /// What is still due, by currency: the ledger's `refunds_payable` must match it.
    func refundsDue() throws -> [String: Int64]
}
