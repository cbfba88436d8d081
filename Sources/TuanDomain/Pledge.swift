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
    /// The team-buy team this pledge opened or joined.
    public var teamID: Int64?
    /// The leader's commission on this pledge, fixed when its campaign succeeds; reversed if the
    /// pledge later defaults or is refunded.
    public var commission: Money?
    public var status: PledgeStatus
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(id: Int64, campaignID: Int64, request: PledgeRequest, deposit: Money, teamID: Int64? = nil, at now: Timestamp) {
        self.id = id
        self.campaignID = campaignID
        self.consumerID = request.consumerID
        self.quantity = request.quantity
        self.deposit = deposit
        self.leaderCode = request.leaderCode
        self.pickupPoint = request.pickupPoint
        self.depositPaymentRef = request.depositPaymentRef
        self.idempotencyKey = request.idempotencyKey
        self.teamID = teamID
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
    /// In a team-buy campaign: start a new team, or join one by its code.
    public enum TeamChoice: Hashable, Sendable {
        case open
        case join(code: String)
    }

    public var consumerID: String
    public var quantity: Int64
    public var leaderCode: String?
    public var pickupPoint: String?
    public var depositPaymentRef: String?
    public var team: TeamChoice?
    public var idempotencyKey: String

    public init(consumerID: String, quantity: Int64, leaderCode: String? = nil, pickupPoint: String? = nil,
                depositPaymentRef: String? = nil, team: TeamChoice? = nil, idempotencyKey: String) throws(DomainError) {
        try Validate.text(consumerID, field: "consumer_id", maxLength: 128)
        try Validate.positive(quantity, field: "quantity", max: Bounds.pledgeQuantity)
        if let leaderCode { try Validate.identifier(leaderCode, field: "leader_code") }
        if let pickupPoint { try Validate.text(pickupPoint, field: "pickup_point", maxLength: 200) }
        if let depositPaymentRef { try Validate.text(depositPaymentRef, field: "deposit_payment_ref", maxLength: 200) }
        if case .join(let code) = team { try Validate.identifier(code, field: "team_code") }
        guard !idempotencyKey.isEmpty, idempotencyKey.utf8.count <= 255,
              idempotencyKey.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else {
            throw .invalid("idempotency_key", "must be 1-255 visible ASCII characters")
        }
        self.consumerID = consumerID
        self.quantity = quantity
        self.leaderCode = leaderCode
        self.pickupPoint = pickupPoint
        self.depositPaymentRef = depositPaymentRef
        self.team = team
        self.idempotencyKey = idempotencyKey
    }

    /// Content identity, independent of the key: a retry must carry the same fingerprint.
    /// Each part as `length:text`, joined by `|`; stored with every pledge, so the format is
    /// fixed. Written as bytes: it is computed for every pledge, and building it from
    /// interpolated strings cost more than the rest of the pledge's own bookkeeping.
    public var fingerprint: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 + consumerID.utf8.count)
        func append(_ part: String) {
            if !bytes.isEmpty { bytes.append(UInt8(ascii: "|")) }
            JSONValue.appendDecimal(Int64(part.utf8.count), to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: part.utf8)
        }
        append(consumerID)
        append(String(quantity))
        append(leaderCode ?? "")
        append(pickupPoint ?? "")
        append(depositPaymentRef ?? "")
        // Appended only when present, so that fingerprints stored before team buys still match.
        switch team {
        case nil: break
        case .open: append("team:open")
        case .join(let code): append("team:" + code)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
