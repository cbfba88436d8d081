extension Campaign {
    /// What a confirmed pledge owes in total: the final tier price, or for a member of a filled
    /// team the team price when that is lower (a team never pays more than buying alone).
    public func total(for pledge: Pledge) throws(DomainError) -> Money {
        guard status == .succeeded, let finalUnitPrice else {
            throw DomainError(.invalidTransition, "campaign \(id) has not succeeded")
        }
        return try unitPrice(for: pledge, finalPrice: finalUnitPrice).multiplied(by: pledge.liveQuantity)
            .adding(Money(minor: pledge.livePriceDeltaMinor, currency: finalUnitPrice.currency))
    }

    func unitPrice(for pledge: Pledge, finalPrice: Money) -> Money {
        guard pledge.teamID != nil, let team, team.unitPrice.minor < finalPrice.minor else { return finalPrice }
        return team.unitPrice
    }

    /// What the pledge's paid deposit counts against its total: the credit per unit for each
    /// unit (定金膨胀), or nothing for a pledge placed without a deposit.
    public func depositCredit(for pledge: Pledge) throws(DomainError) -> Money {
        guard !pledge.deposit.isZero else { return pledge.deposit }
        return try depositCreditPerUnit.multiplied(by: pledge.liveQuantity)
    }

    /// The consumer pays the rest of the price: the pledge becomes paid.
    public func payingBalance(of pledge: Pledge, at now: Timestamp) throws(DomainError) -> (Pledge, JournalEntry) {
        let total = try total(for: pledge)
        let paid = try pledge.transitioned(to: .paid, at: now)
        return (paid, try .balancePaid(pledge, total: total, credit: try depositCredit(for: pledge)))
    }

    /// The balance was not paid by `balanceDueAt`: the deposit is forfeited (or refunded,
    /// when the campaign says so) and any leader commission on it is reversed.
    public func defaulting(_ pledge: Pledge, at now: Timestamp) throws(DomainError) -> (Pledge, [JournalEntry]) {
        guard status == .succeeded else { throw DomainError(.invalidTransition, "campaign \(id) has not succeeded") }
        guard now >= balanceDueAt else {
            throw DomainError(.invalidTransition, "the balance of pledge \(pledge.id) is due at \(balanceDueAt)")
        }
        let defaulted = try pledge.transitioned(to: .defaulted, at: now)
        var journal: [JournalEntry] = []
        if !pledge.deposit.isZero {
            journal.append(forfeitDepositOnDefault ? try .depositForfeited(pledge) : try .depositRefunded(pledge))
        }
        if let reversal = try JournalEntry.leaderCommissionReversed(pledge) { journal.append(reversal) }
        return (defaulted, journal)
    }
}
