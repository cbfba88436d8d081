/// What consumers may change, and until when: every change must reach only weeks whose
/// cut-off is still ahead, so that an order already sent is never contradicted.
extension Subscription {
    /// Skips the delivery of `week`; a fixed-length subscription then ends one period later.
    public func skipping(_ week: Timestamp, policy: SubscriptionPolicy = .standard, at now: Timestamp) throws(DomainError) -> Subscription {
        try requireRunning()
        guard isOnCadence(week, weeks: policy.weeks) else {
            throw .invalid("week", "\(week) is not one of this subscription's delivery weeks (Mondays every \(cadenceWeeks) week(s) from \(firstWeek), \(policy.weeks))")
        }
        try requireOpen(week, policy: policy, at: now, field: "week")
        guard !skippedWeeks.contains(week) else { return self }
        guard !isPaused(in: week) else { throw .invalid("week", "\(week) is already paused") }
        if status == .cancelled, lastWeek.map({ week > $0 }) ?? true {
            throw .invalid("week", "\(week) is after the subscription ends")
        }
        var next = self
        next.skippedWeeks.insert(week)
        next.updatedAt = now
        return next
    }

    /// Pauses from `from` (default: the first week still open) until `until` (exclusive; nil
    /// pauses until resumed).
    public func pausing(from: Timestamp?, until: Timestamp?, policy: SubscriptionPolicy = .standard,
                        at now: Timestamp) throws(DomainError) -> Subscription {
        guard status == .active else {
            throw DomainError(.invalidTransition, "subscription \(id) is \(status.rawValue) and cannot be paused")
        }
        let start = from.map { policy.weeks.start(of: $0) } ?? max(policy.firstOpenWeek(at: now), firstWeek)
        try requireOpen(start, policy: policy, at: now, field: "from")
        if let until {
            guard policy.weeks.start(of: until) > start else { throw .invalid("until", "must be after the first paused week \(start)") }
        }
        var next = self
        next.status = .paused
        next.pausedFrom = start
        next.pausedUntil = until.map { policy.weeks.start(of: $0) }
        next.updatedAt = now
        return next
    }

    /// Ends a pause: deliveries start again from the first week still open.
    public func resuming(policy: SubscriptionPolicy = .standard, at now: Timestamp) throws(DomainError) -> Subscription {
        guard status == .paused else {
            throw DomainError(.invalidTransition, "subscription \(id) is \(status.rawValue), not paused")
        }
        var next = self
        next.status = .active
        let open = policy.firstOpenWeek(at: now)
        if let pausedFrom, pausedFrom >= open {
            next.pausedFrom = nil
            next.pausedUntil = nil
        } else if next.pausedUntil.map({ $0 > open }) ?? true {
            next.pausedUntil = open
        }
        next.updatedAt = now
        return next
    }

    /// Cancels with notice: weeks cut off within the notice period are still delivered (their
    /// orders may already be made); the last of them is `lastWeek`.
    public func cancelling(policy: SubscriptionPolicy = .standard, at now: Timestamp) throws(DomainError) -> Subscription {
        guard status == .active || status == .paused else {
            throw DomainError(.invalidTransition, "subscription \(id) is \(status.rawValue) and cannot be cancelled")
        }
        let noticeEnds = now.adding(seconds: policy.noticeSeconds)
        let horizon = policy.weeks.next(after: policy.lastCutOffWeek(at: noticeEnds))
        var next = self
        next.status = .cancelled
        next.lastWeek = deliveryWeeks(from: firstWeek, until: horizon, weeks: policy.weeks).last
        // Nothing left inside the notice: it ends now and the caller returns the deposit.
        if next.lastWeek == nil { next.status = .ended }
        next.updatedAt = now
        return next
    }

    private func requireRunning() throws(DomainError) {
        guard status == .active || status == .paused || status == .cancelled else {
            throw DomainError(.invalidTransition, "subscription \(id) has ended")
        }
    }

    private func requireOpen(_ week: Timestamp, policy: SubscriptionPolicy, at now: Timestamp, field: String) throws(DomainError) {
        guard policy.weeks.isStart(week) else { throw .invalid(field, "must be a week start (Monday 00:00, \(policy.weeks))") }
        guard policy.cutOff(ofWeek: week) > now else {
            throw DomainError(.cutOffPassed, field: field,
                              "the week of \(week) was cut off at \(policy.cutOff(ofWeek: week)); the first open week is \(policy.firstOpenWeek(at: now))")
        }
    }
}
