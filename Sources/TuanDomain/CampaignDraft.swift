/// The validated input for a new campaign. Construction checks every rule, so a
/// `CampaignDraft` value is always a campaign that can be run.
public struct CampaignDraft: Hashable, Sendable {
    public var sku: String
    public var title: String
    public var opensAt: Timestamp
    public var closesAt: Timestamp
    public var cancellationDeadline: Timestamp
    public var balanceDueAt: Timestamp
    public var threshold: Int64
    public var cap: Int64?
    public var schedule: PriceSchedule
    public var depositPerUnit: Money
    public var maxPerPledge: Int64
    public var forfeitDepositOnDefault: Bool
    /// Team-buy offer, if the campaign runs one.
    public var team: TeamRule?
    /// The IANA zone its pages show times in; nil: the deployment's. Set with `inZone(_:)`.
    public var timeZone: String?
    /// Units one consumer may hold across all their pledges (anti-scalping); nil: no limit.
    public var maxPerConsumer: Int64?
    /// What the campaign page says about it, beyond the title.
    public var description: String?
    /// What a paid deposit counts against the price per unit (定金膨胀): at least the deposit,
    /// which it is when the campaign names none.
    public var depositCreditPerUnit: Money
    /// The items, when it sells several (see `Campaign.items`); `sku` is then the first's.
    public var items: [CampaignItem] = []
    /// See `Campaign.styleMinimum`.
    public var styleMinimum: Int64?
    /// See `Campaign.deliveryAt`; set with `delivering(at:)`.
    public var deliveryAt: Timestamp?

    public init(
        sku: String, title: String, opensAt: Timestamp, closesAt: Timestamp,
        cancellationDeadline: Timestamp? = nil, balanceDueAt: Timestamp? = nil,
        threshold: Int64, cap: Int64?, tiers: [PriceTier], depositPerUnit: Money,
        maxPerPledge: Int64? = nil, forfeitDepositOnDefault: Bool = true, team: TeamRule? = nil, maxPerConsumer: Int64? = nil,
        description: String? = nil, depositCreditPerUnit: Money? = nil, items: [CampaignItem] = [], styleMinimum: Int64? = nil
    ) throws(DomainError) {
        try Validate.identifier(sku, field: "sku")
        try Validate.text(title, field: "title", maxLength: 200)
        try Validate.instant(opensAt, field: "opens_at")
        try Validate.instant(closesAt, field: "closes_at")
        guard closesAt > opensAt else { throw .invalid("closes_at", "must be after opens_at") }
        let deadline = cancellationDeadline ?? closesAt
        guard deadline <= closesAt else { throw .invalid("cancellation_deadline", "must not be after closes_at") }
        let due = balanceDueAt ?? closesAt.adding(days: 7)
        try Validate.instant(due, field: balanceDueAt == nil ? "closes_at" : "balance_due_at")
        guard due >= closesAt else { throw .invalid("balance_due_at", "must not be before closes_at") }
        try Validate.positive(threshold, field: "threshold", max: Bounds.campaignUnits)
        if let cap {
            try Validate.positive(cap, field: "cap", max: Bounds.campaignUnits)
            guard cap >= threshold else { throw .invalid("cap", "must be at least the threshold (\(threshold))") }
        }
        let schedule = try PriceSchedule(tiers)
        guard depositPerUnit.currency == schedule.currency else {
            throw .invalid("deposit_per_unit_minor", "must use the tiers' currency \(schedule.currency)")
        }
        try Validate.amount(depositPerUnit, field: "deposit_per_unit_minor")
        guard depositPerUnit.minor <= schedule.lowestPrice.minor else {
            throw .invalid("deposit_per_unit_minor", "must not exceed the lowest tier price \(schedule.lowestPrice)")
        }
        if let team {
            guard team.unitPrice.currency == schedule.currency else {
                throw .invalid("team.unit_price_minor", "must use the tiers' currency \(schedule.currency)")
            }
            guard team.unitPrice.minor >= depositPerUnit.minor else {
                throw .invalid("team.unit_price_minor", "must be at least the deposit per unit")
            }
            guard team.unitPrice.minor <= schedule.basePrice.minor else {
                throw .invalid("team.unit_price_minor", "must not exceed the solo price \(schedule.basePrice)")
            }
        }
        let perPledge = maxPerPledge ?? min(cap ?? 10_000, 10_000)
        try Validate.positive(perPledge, field: "max_per_pledge", max: Bounds.pledgeQuantity)
        if let maxPerConsumer {
            try Validate.positive(maxPerConsumer, field: "max_per_consumer", max: Bounds.campaignUnits)
            if let cap, maxPerConsumer > cap { throw .invalid("max_per_consumer", "must not exceed the cap (\(cap))") }
        }
        self.sku = sku
        self.title = title
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.cancellationDeadline = deadline
        self.balanceDueAt = due
        self.threshold = threshold
        self.cap = cap
        self.schedule = schedule
        self.depositPerUnit = depositPerUnit
        self.maxPerPledge = perPledge
        self.forfeitDepositOnDefault = forfeitDepositOnDefault
        self.team = team
        self.maxPerConsumer = maxPerConsumer
        self.description = try description.flatMap(Campaign.validDescription)
        let credit = depositCreditPerUnit ?? depositPerUnit
        try Self.checkCredit(credit, deposit: depositPerUnit, schedule: schedule, team: team)
        self.depositCreditPerUnit = credit
        try Self.checkItems(items, sku: sku, cap: cap, schedule: schedule, team: team)
        self.items = items
        if let styleMinimum {
            guard !items.isEmpty else { throw .invalid("style_minimum", "needs items: a style minimum counts a style's items together") }
            try Validate.positive(styleMinimum, field: "style_minimum", max: Bounds.campaignUnits)
            if let cap, styleMinimum > cap { throw .invalid("style_minimum", "must not exceed the cap (\(cap)): the campaign could never tip") }
        }
        self.styleMinimum = styleMinimum
    }

    /// The same terms with goods delivered at `instant` (to the pickup points; not before the close).
    public func delivering(at instant: Timestamp?) throws(DomainError) -> CampaignDraft {
        var copy = self
        if let instant {
            try Validate.instant(instant, field: "delivery_at")
            guard instant >= closesAt else { throw .invalid("delivery_at", "must not be before closes_at") }
        }
        copy.deliveryAt = instant
        return copy
    }

    /// The same terms with pages in `zone` (an IANA name such as Asia/Shanghai; whether the
    /// system knows it is checked where the zone database is, in the service).
    public func inZone(_ zone: String?) throws(DomainError) -> CampaignDraft {
        var copy = self
        if let zone {
            guard (1...64).contains(zone.utf8.count),
                  zone.utf8.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2F || $0 == 0x5F || $0 == 0x2D || $0 == 0x2B }) else {
                throw .invalid("time_zone", "must be an IANA time zone name such as Asia/Shanghai")
            }
        }
        copy.timeZone = zone
        return copy
    }
}

extension CampaignDraft {
    /// A deposit credit is at least the deposit, needs a deposit to credit, and never exceeds
    /// what a unit costs at the lowest price a pledge can reach (tier or team), so no balance
    /// owed is ever negative.
    static func checkCredit(_ credit: Money, deposit: Money, schedule: PriceSchedule, team: TeamRule?) throws(DomainError) {
        let field = "deposit_credit_per_unit_minor"
        guard credit.currency == schedule.currency else { throw .invalid(field, "must use the tiers' currency \(schedule.currency)") }
        try Validate.amount(credit, field: field)
        guard credit.minor >= deposit.minor else { throw .invalid(field, "must be at least the deposit per unit (\(deposit))") }
        guard credit.minor == deposit.minor || deposit.minor > 0 else { throw .invalid(field, "needs a deposit to credit") }
        let lowest = min(schedule.lowestPrice.minor, team?.unitPrice.minor ?? .max)
        guard credit.minor <= lowest else { throw .invalid(field, "must not exceed the lowest price a unit can reach (\(lowest) minor units)") }
    }
}
