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

extension Campaign {
    /// What a confirmed pledge still owes once its deposit counts: the total less the deposit's
    /// credit (the deposit itself, or more with 定金膨胀).
    public func balanceOwed(by pledge: Pledge) throws(DomainError) -> Money {
        try total(for: pledge).subtracting(depositCredit(for: pledge))
    }

    /// Records `payment` against `pledge`: refused after a default, for a pledge already paid,
    /// and for any amount other than exactly what is owed.
    public func receiving(_ payment: BalancePayment, for pledge: Pledge, at now: Timestamp) throws(DomainError) -> (Pledge, JournalEntry) {
        precondition(payment.pledgeID == pledge.id, "a payment for this pledge")
        switch pledge.status {
        case .defaulted:
            throw DomainError(.pledgeDefaulted, "pledge \(pledge.id) defaulted on its balance; the payment cannot be taken")
        case .paid:
            throw DomainError(.alreadyPaid, "pledge \(pledge.id) is already paid")
        case .confirmed: break
        default:
            throw DomainError(.invalidTransition, "pledge \(pledge.id) is \(pledge.status.rawValue); only a confirmed pledge owes a balance")
        }
        let owed = try balanceOwed(by: pledge)
        guard payment.amount.currency == owed.currency else {
            throw DomainError(.currencyMismatch, field: "amount_minor", "pledge \(pledge.id) is paid in \(owed.currency.code)")
        }
        guard payment.amount.minor == owed.minor else {
            throw DomainError(.wrongAmount, field: "amount_minor", "pledge \(pledge.id) owes exactly \(owed.minor) minor units, not \(payment.amount.minor)")
        }
        return try payingBalance(of: pledge, at: now)
    }
}
