extension Campaign {
    /// What a confirmed pledge owes in total at the final tier price.
    public func total(for pledge: Pledge) throws(DomainError) -> Money {
        guard status == .succeeded, let finalUnitPrice else {
            throw DomainError(.invalidTransition, "campaign \(id) has not succeeded")
        }
        return try finalUnitPrice.multiplied(by: pledge.quantity)
    }

    /// The consumer pays the rest of the price: the pledge becomes paid.
    public func payingBalance(of pledge: Pledge, at now: Timestamp) throws(DomainError) -> (Pledge, JournalEntry) {
        let total = try total(for: pledge)
        let paid = try pledge.transitioned(to: .paid, at: now)
        return (paid, try .balancePaid(pledge, total: total))
    }

    /// The balance was not paid by `balanceDueAt`: the deposit is forfeited (or refunded,
    /// when the campaign says so).
    public func defaulting(_ pledge: Pledge, at now: Timestamp) throws(DomainError) -> (Pledge, JournalEntry?) {
        guard status == .succeeded else { throw DomainError(.invalidTransition, "campaign \(id) has not succeeded") }
        guard now >= balanceDueAt else {
            throw DomainError(.invalidTransition, "the balance of pledge \(pledge.id) is due at \(balanceDueAt)")
        }
        let defaulted = try pledge.transitioned(to: .defaulted, at: now)
        guard !pledge.deposit.isZero else { return (defaulted, nil) }
        return (defaulted, forfeitDepositOnDefault ? try .depositForfeited(pledge) : try .depositRefunded(pledge))
    }
}
