import TuanDomain

/// A webhook endpoint with what waits for it.
public struct WebhookEndpointStatus: Sendable {
    public var endpoint: WebhookEndpoint
    public var queued: Int64
    public var dead: Int64
    /// Events written that it has not looked at yet.
    public var unscanned: Int64
}
