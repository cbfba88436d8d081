extension Subscription {
    /// The subscription after a consumer's change, and the journal entry it brings: a
    /// cancellation with nothing left to deliver ends it and returns its deposit at once.
    public func applying(_ change: SubscriptionChange, policy: SubscriptionPolicy,
                         at now: Timestamp) throws(DomainError) -> (Subscription, [JournalEntry]) {
        let next: Subscription = switch change {
        case .skip(let week): try skipping(week, policy: policy, at: now)
        case .pause(let from, let until): try pausing(from: from, until: until, policy: policy, at: now)
        case .resume: try resuming(policy: policy, at: now)
        case .cancel: try cancelling(policy: policy, at: now)
        }
        guard next.status == .ended, status != .ended, !next.deposit.isZero else { return (next, []) }
        return (next, [try .subscriptionDepositRefunded(next)])
    }
}
