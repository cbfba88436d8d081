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
    /// In a campaign that sells several items: what the pledge holds of each (empty for a
    /// campaign's one implicit item, where `quantity` says it all).
    public var lines: [PledgeLine] = []
    /// Sum of the lines' price differences, in minor units (0 without lines): the pledge pays
    /// `quantity × tier price + priceDeltaMinor`.
    public var priceDeltaMinor: Int64 = 0
    /// Whether its row has lines (restored before they are read; set with `lines` when placed).
    public var hasStoredLines = false
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
    /// The items asked for, in a campaign that sells several (empty: `quantity` of its one item).
    public var lines: [PledgeLine.Request]
    public var idempotencyKey: String

    /// With `lines`, `quantity` is their sum (the caller passes nil or that sum).
    public init(consumerID: String, quantity: Int64?, lines: [PledgeLine.Request] = [], leaderCode: String? = nil,
                pickupPoint: String? = nil, depositPaymentRef: String? = nil, team: TeamChoice? = nil,
                idempotencyKey: String) throws(DomainError) {
        try Validate.text(consumerID, field: "consumer_id", maxLength: 128)
        let quantity = try Self.total(of: lines, quantity: quantity)
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
        self.lines = lines
        self.idempotencyKey = idempotencyKey
    }

    /// The pledge's units: `quantity`, or the lines' sum (each line and the sum within one
    /// pledge's bound, no SKU twice, and `quantity`, when also given, equal to the sum).
    static func total(of lines: [PledgeLine.Request], quantity: Int64?) throws(DomainError) -> Int64 {
        guard !lines.isEmpty else {
            guard let quantity else { throw .invalid("quantity", "is required (or lines)") }
            try Validate.positive(quantity, field: "quantity", max: Bounds.pledgeQuantity)
            return quantity
        }
        guard lines.count <= Bounds.campaignItems else { throw .invalid("lines", "must hold at most \(Bounds.campaignItems) lines") }
        var sum: Int64 = 0
        var seen: Set<String> = []
        for (index, line) in lines.enumerated() {
            try Validate.identifier(line.sku, field: "lines[\(index)].sku")
            try Validate.positive(line.quantity, field: "lines[\(index)].quantity", max: Bounds.pledgeQuantity)
            guard seen.insert(line.sku).inserted else { throw .invalid("lines[\(index)].sku", "repeats \(line.sku): one line per item") }
            sum += line.quantity
            guard sum <= Bounds.pledgeQuantity else {
                throw .invalid("lines", "must add up to at most \(Bounds.pledgeQuantity) units")
            }
        }
        if let quantity, quantity != sum { throw .invalid("quantity", "must equal the lines' sum (\(sum)) or be left out") }
        return sum
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
        // Likewise only with lines: SKU and quantity of each, in the order given.
        if !lines.isEmpty {
            var text = "lines:"
            for line in lines { text += line.sku + "*" + String(line.quantity) + "," }
            append(text)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
