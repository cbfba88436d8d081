extension Subscription {
    /// Whether `week` falls on the subscription's cadence (ignoring pauses, skips and the end).
    public func isOnCadence(_ week: Timestamp, weeks: WeekGrid) -> Bool {
        guard week >= firstWeek, weeks.isStart(week) else { return false }
        return weeks.weeks(from: firstWeek, to: week) % cadenceWeeks == 0
    }

    public func isPaused(in week: Timestamp) -> Bool {
        guard let pausedFrom, week >= pausedFrom else { return false }
        return pausedUntil.map { week < $0 } ?? true
    }

    /// Whether the period of `week` is delivered, given the deliveries cut off before it.
    /// Weeks must be asked in order: `deliveredBefore` is the count of earlier deliveries.
    public func delivers(_ week: Timestamp, deliveredBefore: Int64, weeks: WeekGrid) -> Bool {
        guard status != .ended, isOnCadence(week, weeks: weeks), !skippedWeeks.contains(week), !isPaused(in: week) else { return false }
        if status == .cancelled { guard let lastWeek, week <= lastWeek else { return false } }
        if let periods, deliveredBefore >= periods { return false }
        return true
    }

    /// The delivery weeks from `from` up to (excluding) `until`, continuing from what has
    /// already been cut off: the firm demand this subscription stands for.
    public func deliveryWeeks(from: Timestamp, until: Timestamp, weeks grid: WeekGrid) -> [Timestamp] {
        var weeks: [Timestamp] = []
        var count = deliveredCount
        var week = cutOffThrough.map { grid.next(after: $0) } ?? firstWeek
        if week < firstWeek { week = firstWeek }
        while week < until {
            if delivers(week, deliveredBefore: count, weeks: grid) {
                count += 1
                if week >= from { weeks.append(week) }
            } else if isFinished(after: week, deliveredCount: count) {
                break
            }
            week = grid.next(after: week)
        }
        return weeks
    }

    /// The deliveries in the eight weeks from the first week still open at `now` (weeks already
    /// cut off are in the delivery records, not here): what a consumer sees coming.
    public func upcomingWeeks(policy: SubscriptionPolicy = .standard, at now: Timestamp) -> [Timestamp] {
        let from = policy.firstOpenWeek(at: now)
        return deliveryWeeks(from: from, until: policy.weeks.week(8, after: from), weeks: policy.weeks)
    }

    /// Whether nothing can be delivered after `week` (then the subscription ends once `week`
    /// is cut off). An open pause keeps a subscription alive: it can be resumed.
    public func isFinished(after week: Timestamp, deliveredCount: Int64) -> Bool {
        if status == .ended { return true }
        if let periods, deliveredCount >= periods { return true }
        if status == .cancelled { return lastWeek.map { week >= $0 } ?? true }
        return false
    }
}
