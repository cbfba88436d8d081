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
