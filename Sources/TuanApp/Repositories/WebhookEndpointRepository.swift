import TuanDomain

/// Storefronts' webhook endpoints and the queues of events waiting for them.
public protocol WebhookEndpointRepository {
    func insertWebhookEndpoint(_ endpoint: WebhookEndpoint) throws -> WebhookEndpoint
    func webhookEndpoint(id: Int64) throws -> WebhookEndpoint?
    func webhookEndpoints() throws -> [WebhookEndpoint]
    /// Writes its url, types, secrets, description and whether it is disabled.
    func saveWebhookEndpoint(_ endpoint: WebhookEndpoint) throws
    /// Events queued for it and not yet sent, and those dead-lettered.
    func webhookBacklog(endpointID: Int64) throws -> (queued: Int64, dead: Int64)
    func deadLetters(endpointID: Int64, limit: Int) throws -> [DeadLetter]
    /// Puts every dead letter back in its stream, due now; returns how many.
    func requeueDeadLetters(endpointID: Int64, at now: Timestamp) throws -> Int
    /// Queues newly written events for enabled endpoints (a bounded batch), then leases the
    /// head of the stream that is due first. Runs on the writer: two workers never claim one.
    func claimDueEventDelivery(at now: Timestamp, leaseSeconds: Int64) throws -> EventDelivery?
    /// Records an attempt and moves the stream on, in one transaction.
    func recordEventDelivery(_ delivery: EventDelivery, attempt: DeliveryAttempt?, decision: DeliveryDecision, at now: Timestamp) throws
    /// When an event delivery is next due: now if events wait to be queued.
    func nextEventDeliveryDue() throws -> Timestamp?
}
