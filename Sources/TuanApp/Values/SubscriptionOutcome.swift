import TuanDomain

/// The answer to a subscribe request, and whether it replayed an earlier one.
public struct SubscriptionOutcome: Sendable {
    public var subscription: Subscription
    public var replayed: Bool

    public init(subscription: Subscription, replayed: Bool) {
        self.subscription = subscription
        self.replayed = replayed
    }
}
