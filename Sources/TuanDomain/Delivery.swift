/// Where a purchase order's push to its supplier stands.
public enum DeliveryState: String, Sendable, CaseIterable {
    /// Waiting for its next attempt (or being attempted now).
    case pending
    /// The supplier's endpoint answered 2xx.
    case delivered
    /// Every scheduled attempt failed: dead-lettered until an admin asks to redeliver.
    case dead
    /// Not pushed: the supplier has no endpoint, or its endpoint was disabled (410 Gone).
    case held
}

/// One try at pushing an order: what was sent where, and what came back.
public struct DeliveryAttempt: Hashable, Sendable {
    public enum Outcome: String, Sendable {
        case delivered, retry, dead, disabled
    }

    public var attempt: Int64
    public var startedAt: Timestamp
    public var url: String
    /// The HTTP status, or nil when no answer came (refused, timed out, dropped).
    public var statusCode: Int64?
    public var latencyMilliseconds: Int64
    public var error: String?
    public var outcome: Outcome

    public init(attempt: Int64, startedAt: Timestamp, url: String, statusCode: Int64?, latencyMilliseconds: Int64,
                error: String?, outcome: Outcome) {
        self.attempt = attempt
        self.startedAt = startedAt
        self.url = url
        self.statusCode = statusCode
        self.latencyMilliseconds = latencyMilliseconds
        self.error = error
        self.outcome = outcome
    }
}

/// An outbox row ready to send, with what the sender needs from the supplier.
public struct OutboxMessage: Hashable, Sendable {
    public var id: Int64
    public var purchaseOrderID: Int64
    public var supplierID: Int64
    /// Standard Webhooks `webhook-id`: the same on every retry, so receivers can dedupe.
    public var webhookID: String
    public var eventType: String
    /// The exact bytes to send (and sign), fixed when the order was created.
    public var payload: String
    /// Attempts made so far.
    public var attempts: Int64
    public var endpointURL: String?
    public var endpointDisabled: Bool
    public var webhookSecret: String

    public init(id: Int64, purchaseOrderID: Int64, supplierID: Int64, webhookID: String, eventType: String, payload: String,
                attempts: Int64, endpointURL: String?, endpointDisabled: Bool, webhookSecret: String) {
        self.id = id
        self.purchaseOrderID = purchaseOrderID
        self.supplierID = supplierID
        self.webhookID = webhookID
        self.eventType = eventType
        self.payload = payload
        self.attempts = attempts
        self.endpointURL = endpointURL
        self.endpointDisabled = endpointDisabled
        self.webhookSecret = webhookSecret
    }
}

/// A purchase order's delivery as planners and admins see it.
public struct DeliveryStatus: Hashable, Sendable {
    public var state: DeliveryState
    public var webhookID: String
    public var attemptCount: Int64
    public var nextAttemptAt: Timestamp?
    public var deliveredAt: Timestamp?
    public var lastError: String?
    public var attempts: [DeliveryAttempt]

    public init(state: DeliveryState, webhookID: String, attemptCount: Int64, nextAttemptAt: Timestamp?,
                deliveredAt: Timestamp?, lastError: String?, attempts: [DeliveryAttempt]) {
        self.state = state
        self.webhookID = webhookID
        self.attemptCount = attemptCount
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
        self.lastError = lastError
        self.attempts = attempts
    }
}
