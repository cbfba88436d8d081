extension Campaign {
    /// The deposit a pledge of `quantity` units must put down.
    public func deposit(for quantity: Int64) throws(DomainError) -> Money {
        try depositPerUnit.multiplied(by: quantity)
    }

    /// Checks that a pledge of `quantity` may join now and returns the campaign with it counted.
    /// The caller must hold the write lock between reading `self` and saving the result: that
    /// serialisation is what makes the cap check race-free.
    public func accepting(quantity: Int64, at now: Timestamp) throws(DomainError) -> Campaign {
        guard status.acceptsPledges else {
            if status == .draft { throw DomainError(.campaignNotOpen, "campaign \(id) has not been published") }
            throw DomainError(.campaignClosed, "campaign \(id) is \(status.rawValue)")
        }
        guard now >= opensAt else { throw DomainError(.campaignNotOpen, "campaign \(id) opens at \(opensAt)") }
        guard now < closesAt else { throw DomainError(.campaignClosed, "campaign \(id) closed at \(closesAt)") }
        guard quantity <= maxPerPledge else {
            throw .invalid("quantity", "must be at most \(maxPerPledge) per pledge")
        }
        // An uncapped campaign still counts at most `Bounds.campaignUnits`: that bound is what
        // keeps every sum over its pledges (deposits, sales, the order's cost) in range.
        let limit = cap ?? Bounds.campaignUnits
        let (total, overflow) = pledgedQuantity.addingReportingOverflow(quantity)
        if overflow || total > limit {
            let left = max(0, limit - pledgedQuantity)
            throw DomainError(.soldOut, field: "quantity", left == 0
                ? "campaign \(id) is sold out"
                : "only \(left) units are left in campaign \(id)")
        }
        var next = self
        next.pledgedQuantity = total
        next.pledgeCount += 1
        next.updateTipping()
        return next
    }

    /// A consumer withdraws a pledge before the cancellation deadline.
    public func withdrawing(_ pledge: Pledge, at now: Timestamp) throws(DomainError) -> Campaign {
        guard pledge.campaignID == id else { throw .invalid("pledge_id", "belongs to another campaign") }
        guard pledge.status == .pledged else {
            throw DomainError(.invalidTransition, "pledge \(pledge.id) is \(pledge.status.rawValue) and cannot be cancelled")
        }
        guard status.acceptsPledges, now < cancellationDeadline else {
            throw DomainError(.cancellationClosed, "cancellations for campaign \(id) closed at \(cancellationDeadline)")
        }
        var next = self
        next.pledgedQuantity -= pledge.quantity
        next.pledgeCount -= 1
        next.removeLines(of: pledge)
        next.updateTipping()
        return next
    }

    public func publishing() throws(DomainError) -> Campaign {
        try transitioned(to: .open)
    }

    func transitioned(to next: CampaignStatus) throws(DomainError) -> Campaign {
        guard status.canTransition(to: next) else {
            throw DomainError(.invalidTransition, "campaign \(id) is \(status.rawValue) and cannot become \(next.rawValue)")
        }
        var copy = self
        copy.status = next
        return copy
    }

    /// Open or tipped as the counts now say (items' counts included: `accepting(_:at:)`).
    mutating func updateTipping() {
        if status == .open, isTipped { status = .tipped }
        if status == .tipped, !isTipped { status = .open }
    }
}
