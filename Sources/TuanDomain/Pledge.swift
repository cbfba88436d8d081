/// One consumer's pre-order in a campaign.
public struct Pledge: Hashable, Sendable {
    public var id: Int64
    public var campaignID: Int64
    public var consumerID: String
    public var quantity: Int64
    public var deposit: Money
    public var leaderCode: String?
    public var pickupPoint: String?
    public var depositPaymentRef: String?
    public var idempotencyKey: String
    public var status: PledgeStatus
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(id: Int64, campaignID: Int64, request: PledgeRequest, deposit: Money, at now: Timestamp) {
        self.id = id
        self.campaignID = campaignID
        self.consumerID = request.consumerID
        self.quantity = request.quantity
        self.deposit = deposit
        self.leaderCode = request.leaderCode
        self.pickupPoint = request.pickupPoint
        self.depositPaymentRef = request.depositPaymentRef
        self.idempotencyKey = request.idempotencyKey
        self.status = .pledged
        self.createdAt = now
        self.updatedAt = now
    }

    public func transitioned(to next: PledgeStatus, at now: Timestamp) throws(DomainError) -> Pledge {
        guard status.canTransition(to: next) else {
            throw DomainError(.invalidTransition, "pledge \(id) is \(status.rawValue) and cannot become \(next.rawValue)")
        }
        var copy = self
        copy.status = next
        copy.updatedAt = now
        return copy
    }
}

/// A validated request to pledge; `fingerprint` identifies its content for idempotent retries.
public struct PledgeRequest: Hashable, Sendable {
    public var consumerID: String
    public var quantity: Int64
    public var leaderCode: String?
    public var pickupPoint: String?
    public var depositPaymentRef: String?
    public var idempotencyKey: String

    public init(consumerID: String, quantity: Int64, leaderCode: String? = nil, pickupPoint: String? = nil,
                depositPaymentRef: String? = nil, idempotencyKey: String) throws(DomainError) {
        try Validate.text(consumerID, field: "consumer_id", maxLength: 128)
        try Validate.positive(quantity, field: "quantity")
        if let leaderCode { try Validate.identifier(leaderCode, field: "leader_code") }
        if let pickupPoint { try Validate.text(pickupPoint, field: "pickup_point", maxLength: 200) }
        if let depositPaymentRef { try Validate.text(depositPaymentRef, field: "deposit_payment_ref", maxLength: 200) }
        guard !idempotencyKey.isEmpty, idempotencyKey.utf8.count <= 255,
              idempotencyKey.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else {
            throw .invalid("idempotency_key", "must be 1-255 visible ASCII characters")
        }
        self.consumerID = consumerID
        self.quantity = quantity
        self.leaderCode = leaderCode
        self.pickupPoint = pickupPoint
        self.depositPaymentRef = depositPaymentRef
        self.idempotencyKey = idempotencyKey
    }

    /// Content identity, independent of the key: a retry must carry the same fingerprint.
    public var fingerprint: String {
        [consumerID, String(quantity), leaderCode ?? "", pickupPoint ?? "", depositPaymentRef ?? ""]
            .map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }
}
