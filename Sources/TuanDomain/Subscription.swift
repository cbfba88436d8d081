/// A standing pre-order (a fruit box every week): `quantity` units of `sku` every
/// `cadenceWeeks` weeks from `firstWeek`, for `periods` deliveries or until cancelled. Each
/// delivery week is cut off ahead of time and becomes a line of that week's purchase order.
public struct Subscription: Hashable, Sendable {
    public enum Status: String, Sendable, CaseIterable {
        case active
        case paused
        /// Cancelled, with periods inside the notice still to be delivered.
        case cancelled
        /// Nothing more will be delivered; the deposit has been returned.
        case ended
    }

    public var id: Int64
    public var consumerID: String
    public var sku: String
    public var quantity: Int64
    public var cadenceWeeks: Int64
    /// Monday 00:00 (on the deployment's `WeekGrid`) of the first delivery week.
    public var firstWeek: Timestamp
    /// Number of deliveries; nil for open-ended. Skipped and paused weeks do not count.
    public var periods: Int64?
    public var unitPrice: Money
    /// Held in escrow while the subscription runs, returned when it ends.
    public var deposit: Money
    public var leaderCode: String?
    public var pickupPoint: String?
    public var status: Status
    /// Paused for the weeks in [pausedFrom, pausedUntil); an open pause has no end.
    public var pausedFrom: Timestamp?
    public var pausedUntil: Timestamp?
    public var skippedWeeks: Set<Timestamp>
    /// After a cancellation, the last week that is still delivered (nil: none).
    public var lastWeek: Timestamp?
    /// Deliveries already cut off.
    public var deliveredCount: Int64
    /// The latest week already cut off for this subscription.
    public var cutOffThrough: Timestamp?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public var currency: Currency { unitPrice.currency }
    /// `unitPrice × quantity`: at most 10^9 × 10^4 minor units for a validated subscription.
    public func periodPrice() throws(DomainError) -> Money { try unitPrice.multiplied(by: quantity) }

    public init(id: Int64, request: SubscriptionRequest, at now: Timestamp) {
        self.id = id
        self.consumerID = request.consumerID
        self.sku = request.sku
        self.quantity = request.quantity
        self.cadenceWeeks = request.cadenceWeeks
        self.firstWeek = request.firstWeek
        self.periods = request.periods
        self.unitPrice = request.unitPrice
        self.deposit = request.deposit
        self.leaderCode = request.leaderCode
        self.pickupPoint = request.pickupPoint
        self.status = .active
        self.skippedWeeks = []
        self.deliveredCount = 0
        self.createdAt = now
        self.updatedAt = now
    }
}

/// A validated request to subscribe.
public struct SubscriptionRequest: Hashable, Sendable {
    /// Refuses (`amount_overflow`) a subscription that would take its supplier's running
    /// subscriptions past `Bounds.subscriptionUnitsPerSupplier`, given the units they ask now.
    public func checkSupplierTotal(runningUnits: Int64) throws(DomainError) {
        let (total, overflow) = runningUnits.addingReportingOverflow(quantity)
        guard !overflow, total <= Bounds.subscriptionUnitsPerSupplier else {
            throw DomainError(.overflow, field: "quantity",
                              "the supplier's subscriptions would ask for more than \(Bounds.subscriptionUnitsPerSupplier) units a delivery")
        }
    }

    public var consumerID: String
    public var sku: String
    public var quantity: Int64
    public var cadenceWeeks: Int64
    public var firstWeek: Timestamp
    public var periods: Int64?
    public var unitPrice: Money
    public var deposit: Money
    public var leaderCode: String?
    public var pickupPoint: String?

    /// `start` may be any instant: the subscription starts with the first week (Monday 00:00
    /// on the policy's grid) at or after it whose cut-off is still ahead at `now`.
    public init(consumerID: String, sku: String, quantity: Int64, cadenceWeeks: Int64 = 1, start: Timestamp?, periods: Int64?,
                unitPrice: Money, deposit: Money, leaderCode: String? = nil, pickupPoint: String? = nil,
                policy: SubscriptionPolicy = .standard, at now: Timestamp) throws(DomainError) {
        try Validate.text(consumerID, field: "consumer_id", maxLength: 128)
        try Validate.identifier(sku, field: "sku")
        try Validate.positive(quantity, field: "quantity", max: Bounds.subscriptionQuantity)
        guard (1...8).contains(cadenceWeeks) else { throw .invalid("cadence_weeks", "must be 1-8 (1 is weekly)") }
        if let periods { try Validate.positive(periods, field: "periods", max: 520) }
        try Validate.amount(unitPrice, field: "unit_price_minor", minimum: 1)
        guard deposit.currency == unitPrice.currency else { throw .invalid("deposit_minor", "must use the price's currency") }
        guard deposit.minor >= 0 else { throw .invalid("deposit_minor", "must not be negative") }
        guard deposit.minor <= (try unitPrice.multiplied(by: quantity).multiplied(by: 4)).minor else {
            throw .invalid("deposit_minor", "must not exceed four periods' price")
        }
        if let leaderCode { try Validate.identifier(leaderCode, field: "leader_code") }
        if let pickupPoint { try Validate.text(pickupPoint, field: "pickup_point", maxLength: 200) }
        let earliest = policy.firstOpenWeek(at: now)
        var first = earliest
        if let start {
            try Validate.instant(start, field: "start")
            let week = policy.weeks.start(of: start)
            first = week == start ? week : policy.weeks.next(after: week)
            guard first >= earliest else {
                throw DomainError(.cutOffPassed, field: "start",
                                  "the week of \(first) is already cut off; the earliest start is \(earliest)")
            }
        }
        self.consumerID = consumerID
        self.sku = sku
        self.quantity = quantity
        self.cadenceWeeks = cadenceWeeks
        self.firstWeek = first
        self.periods = periods
        self.unitPrice = unitPrice
        self.deposit = deposit
        self.leaderCode = leaderCode
        self.pickupPoint = pickupPoint
    }

    /// A stored request, restored as written: its start was checked against the cut-off when
    /// it was made, and today's cut-off must not refuse it again.
    public init(restoringConsumerID consumerID: String, sku: String, quantity: Int64, cadenceWeeks: Int64, firstWeek: Timestamp,
                periods: Int64?, unitPrice: Money, deposit: Money, leaderCode: String?, pickupPoint: String?) {
        self.consumerID = consumerID
        self.sku = sku
        self.quantity = quantity
        self.cadenceWeeks = cadenceWeeks
        self.firstWeek = firstWeek
        self.periods = periods
        self.unitPrice = unitPrice
        self.deposit = deposit
        self.leaderCode = leaderCode
        self.pickupPoint = pickupPoint
    }
}
