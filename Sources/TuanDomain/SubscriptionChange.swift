/// A consumer's change to a running subscription.
public enum SubscriptionChange: Sendable {
    case skip(week: Timestamp)
    case pause(from: Timestamp?, until: Timestamp?)
    case resume
    case cancel
}
