/// One event claimed for one endpoint: the head of its stream (endpoint, campaign).
public struct EventDelivery: Sendable, Equatable {
    public var endpointID: Int64
    /// The campaign the stream is for; 0 for events of no campaign.
    public var stream: Int64
    public var seq: Int64
    public var webhookID: String
    /// The exact bytes to send and sign: the same for every attempt (the resource is
    /// restored from rows that no longer change in the fields it shows).
    public var body: [UInt8]?
    public var attempts: Int64
    public var url: String
    public var secrets: [String]

    public init(endpointID: Int64, stream: Int64, seq: Int64, webhookID: String, body: [UInt8]?, attempts: Int64, url: String,
                secrets: [String]) {
        self.endpointID = endpointID
        self.stream = stream
        self.seq = seq
        self.webhookID = webhookID
        self.body = body
        self.attempts = attempts
        self.url = url
        self.secrets = secrets
    }
}
