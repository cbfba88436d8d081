/// What the delivery worker decided after an attempt.
public enum DeliveryDecision: Sendable, Equatable {
    case delivered
    /// Try again at this time.
    case retry(at: Timestamp)
    /// The last scheduled attempt failed: dead-letter it.
    case dead
    /// The endpoint answered 410 Gone: disable it and hold the order.
    case disableEndpoint
    /// Nowhere to send it (no endpoint, or it is disabled): hold it without an attempt.
    case hold(reason: String)
}
