extension CampaignDraft {
    /// A stored campaign's terms, restored as written: validation ran when it was created, and
    /// must not run again (a tightened rule would make old campaigns unreadable).
    public init(restoringSKU sku: String, title: String, opensAt: Timestamp, closesAt: Timestamp,
                cancellationDeadline: Timestamp, balanceDueAt: Timestamp, threshold: Int64, cap: Int64?,
                schedule: PriceSchedule, depositPerUnit: Money, maxPerPledge: Int64, forfeitDepositOnDefault: Bool,
                team: TeamRule?) {
        self.sku = sku
        self.title = title
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.cancellationDeadline = cancellationDeadline
        self.balanceDueAt = balanceDueAt
        self.threshold = threshold
        self.cap = cap
        self.schedule = schedule
        self.depositPerUnit = depositPerUnit
        self.maxPerPledge = maxPerPledge
        self.forfeitDepositOnDefault = forfeitDepositOnDefault
        self.team = team
        self.depositCreditPerUnit = depositPerUnit
    }
}
