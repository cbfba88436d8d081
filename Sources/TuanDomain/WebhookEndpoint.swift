/// A storefront's endpoint for pushed events: where to send, which types, and the Standard
/// Webhooks secret that signs them. Events are queued for it from the sequence number it was
/// created at (or the one it asked for), and sent in order per campaign.
public struct WebhookEndpoint: Sendable, Equatable {
    public var id: Int64
    public var url: String
    public var types: Set<EventType>
    public var secret: String
    /// After a rotation the old secret signs too, until `previousSecretUntil`: receivers
    /// switch over without dropping a delivery (Standard Webhooks sends both signatures).
    public var previousSecret: String?
    public var previousSecretUntil: Timestamp?
    public var disabled: Bool
    public var description: String?
    /// Events up to this number have been queued for it.
    public var scannedSeq: Int64
    public var deliveredCount: Int64
    public var createdAt: Timestamp

    public init(id: Int64, url: String, types: Set<EventType>, secret: String, previousSecret: String?, previousSecretUntil: Timestamp?,
                disabled: Bool, description: String?, scannedSeq: Int64, deliveredCount: Int64, createdAt: Timestamp) {
        self.id = id
        self.url = url
        self.types = types
        self.secret = secret
        self.previousSecret = previousSecret
        self.previousSecretUntil = previousSecretUntil
        self.disabled = disabled
        self.description = description
        self.scannedSeq = scannedSeq
        self.deliveredCount = deliveredCount
        self.createdAt = createdAt
    }

    /// How long an old secret keeps signing after a rotation.
    public static let rotationOverlapSeconds: Int64 = 24 * 3600

    /// The secrets that sign a delivery now: the current one, and the previous during its overlap.
    public func signingSecrets(at now: Timestamp) -> [String] {
        guard let previousSecret, let until = previousSecretUntil, now < until else { return [secret] }
        return [secret, previousSecret]
    }

    public func rotating(to secret: String, at now: Timestamp) -> WebhookEndpoint {
        var next = self
        next.previousSecret = self.secret
        next.previousSecretUntil = Timestamp(seconds: now.seconds + Self.rotationOverlapSeconds)
        next.secret = secret
        return next
    }

    /// Checks what a storefront asks for: an outbound URL, at least one known type (or a
    /// `resource.*` pattern), a short description.
    public static func validate(url: String, types: [String], description: String?) throws(DomainError) -> Set<EventType> {
        try OutboundURL.validate(url, field: "url")
        guard !types.isEmpty, types.count <= 64 else { throw .invalid("event_types", "must name 1 to 64 event types or patterns") }
        let matched: Set<EventType>
        do { matched = try EventType.matching(types) } catch { throw error.about("event_types") }
        if let description { try Validate.text(description, field: "description", maxLength: 200) }
        return matched
    }
}
