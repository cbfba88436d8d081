/// A change to a live campaign's terms. Only what cannot worsen the terms of people who have
/// already pledged is allowed: a later deadline, a higher cap (or none), tiers that only lower
/// prices, a lower deposit, a new title or description. Anything else is refused with a code
/// that says why.
public struct CampaignEdit: Sendable, Equatable {
    public enum CapChange: Sendable, Equatable {
        case raise(to: Int64)
        case remove
    }

    public var title: String?
    /// A new description; an empty one removes it.
    public var description: String?
    public var closesAt: Timestamp?
    public var cap: CapChange?
    public var tiers: [PriceTier]?
    public var depositPerUnit: Money?

    public init(title: String? = nil, description: String? = nil, closesAt: Timestamp? = nil, cap: CapChange? = nil,
                tiers: [PriceTier]? = nil, depositPerUnit: Money? = nil) {
        self.title = title
        self.description = description
        self.closesAt = closesAt
        self.cap = cap
        self.tiers = tiers
        self.depositPerUnit = depositPerUnit
    }

    public var isEmpty: Bool { self == CampaignEdit() }
}

extension Campaign {
    /// The campaign with `edit` applied, or the reason it is refused (nothing changes then).
    public func editing(_ edit: CampaignEdit, at now: Timestamp) throws(DomainError) -> Campaign {
        guard status == .draft || status.acceptsPledges, now < closesAt else {
            throw DomainError(.invalidTransition, "campaign \(id) is \(status.rawValue) past its deadline or closed; only a live campaign is edited")
        }
        guard !edit.isEmpty else { throw .invalid("campaign", "give at least one of title, description, closes_at, cap, tiers, deposit_per_unit_minor") }
        var next = self
        if let title = edit.title {
            try Validate.text(title, field: "title", maxLength: 200)
            next.title = title
        }
        if let description = edit.description {
            next.description = try Self.validDescription(description)
        }
        if let closesAt = edit.closesAt { try next.extend(to: closesAt, at: now) }
        switch edit.cap {
        case nil: break
        case .remove: next.cap = nil
        case .raise(let cap):
            try Validate.positive(cap, field: "cap", max: Bounds.campaignUnits)
            if let current = self.cap, cap < current {
                throw DomainError(.lowersCap, field: "cap", "the cap of campaign \(id) can be raised, not lowered below \(current)")
            }
            next.cap = cap
        }
        if let tiers = edit.tiers { next.schedule = try lowering(to: tiers) }
        if let deposit = edit.depositPerUnit {
            guard deposit.currency == currency else { throw .invalid("deposit_per_unit_minor", "must use the tiers' currency \(currency)") }
            try Validate.amount(deposit, field: "deposit_per_unit_minor")
            guard deposit.minor <= depositPerUnit.minor else {
                throw DomainError(.raisesDeposit, field: "deposit_per_unit_minor",
                                  "the deposit of campaign \(id) can be lowered, not raised above \(depositPerUnit)")
            }
            next.depositPerUnit = deposit
            // A campaign without extra credit keeps none: the credit follows the deposit.
            if depositCreditPerUnit == depositPerUnit { next.depositCreditPerUnit = deposit }
        }
        try next.checkEditedTermsHoldTogether()
        return next
    }

    static func validDescription(_ text: String) throws(DomainError) -> String? {
        guard !text.isEmpty else { return nil }
        try Validate.text(text, field: "description", maxLength: 2000)
        return text
    }

    /// A later deadline; the cancellation deadline follows when it was the close, and the
    /// balance deadline keeps its distance from the close.
    private mutating func extend(to later: Timestamp, at now: Timestamp) throws(DomainError) {
        try Validate.instant(later, field: "closes_at")
        guard later >= closesAt else {
            throw DomainError(.shortensDeadline, field: "closes_at", "the deadline of campaign \(id) can be extended, not brought before \(closesAt)")
        }
        let extension_ = later.seconds - closesAt.seconds
        if cancellationDeadline == closesAt { cancellationDeadline = later }
        let due = balanceDueAt.adding(seconds: extension_)
        try Validate.instant(due, field: "closes_at")
        balanceDueAt = due
        closesAt = later
    }

    /// New tiers, refused when any quantity would pay more than it does now.
    private func lowering(to tiers: [PriceTier]) throws(DomainError) -> PriceSchedule {
        let proposed = try PriceSchedule(tiers)
        guard proposed.currency == currency else { throw .invalid("tiers", "must use the campaign's currency \(currency)") }
        let breakpoints = Set(schedule.tiers.map(\.minQuantity) + proposed.tiers.map(\.minQuantity))
        for quantity in breakpoints.sorted() where proposed.unitPrice(at: quantity).minor > schedule.unitPrice(at: quantity).minor {
            throw DomainError(.raisesPrice, field: "tiers",
                              "at \(quantity) units the price would rise from \(schedule.unitPrice(at: quantity)) to \(proposed.unitPrice(at: quantity))")
        }
        return proposed
    }

    /// What `CampaignDraft` checks, on the edited terms: the cap holds the threshold, the pledges
    /// already made and the per-consumer limit; the deposit and team price fit the tiers.
    private func checkEditedTermsHoldTogether() throws(DomainError) {
        if let cap {
            guard cap >= threshold else { throw .invalid("cap", "must be at least the threshold (\(threshold))") }
            guard cap >= pledgedQuantity else { throw DomainError(.lowersCap, field: "cap", "\(pledgedQuantity) units are already pledged") }
            if let maxPerConsumer, maxPerConsumer > cap { throw .invalid("cap", "must be at least max_per_consumer (\(maxPerConsumer))") }
        }
        guard depositPerUnit.minor <= schedule.lowestPrice.minor else {
            throw .invalid("deposit_per_unit_minor", "must not exceed the lowest tier price \(schedule.lowestPrice)")
        }
        try CampaignDraft.checkCredit(depositCreditPerUnit, deposit: depositPerUnit, schedule: schedule, team: team)
        if let team {
            guard team.unitPrice.minor >= depositPerUnit.minor, team.unitPrice.minor <= schedule.basePrice.minor else {
                throw .invalid("tiers", "the team price \(team.unitPrice) must stay between the deposit and the solo price")
            }
        }
    }
}
