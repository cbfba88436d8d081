/// The consumer's payment of a confirmed pledge's balance, as the storefront's payment provider
/// reported it: the amount and the provider's reference, kept with the request's idempotency
/// key so that a retried call records it once.
public struct BalancePayment: Hashable, Sendable {
    public var id: Int64
    public var pledgeID: Int64
    public var amount: Money
    /// The payment provider's reference (a transaction id), for reconciliation.
    public var reference: String
    public var idempotencyScope: String
    public var idempotencyKey: String
    public var receivedAt: Timestamp

    public init(id: Int64 = 0, pledgeID: Int64, amount: Money, reference: String, idempotencyScope: String, idempotencyKey: String,
                receivedAt: Timestamp) throws(DomainError) {
        try Validate.text(reference, field: "reference", maxLength: 200)
        guard !reference.isEmpty else { throw .invalid("reference", "give the payment provider's reference") }
        guard (1...255).contains(idempotencyKey.utf8.count) else { throw .invalid("idempotency_key", "must be 1-255 characters") }
        self.init(restoringID: id, pledgeID: pledgeID, amount: amount, reference: reference, idempotencyScope: idempotencyScope,
                  idempotencyKey: idempotencyKey, receivedAt: receivedAt)
    }

    /// A stored payment, restored as written.
    public init(restoringID id: Int64, pledgeID: Int64, amount: Money, reference: String, idempotencyScope: String,
                idempotencyKey: String, receivedAt: Timestamp) {
        self.id = id
        self.pledgeID = pledgeID
        self.amount = amount
        self.reference = reference
        self.idempotencyScope = idempotencyScope
        self.idempotencyKey = idempotencyKey
        self.receivedAt = receivedAt
    }

    /// What must match for a retry under the same key to be the same request.
    public var fingerprint: String { "\(pledgeID)|\(amount.minor)|\(amount.currency.code)|\(reference)" }
}
