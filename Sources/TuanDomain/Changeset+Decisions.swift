/// The changesets of the writes the domain already decides as values: each maps a decision
/// to the rows, deltas and entries that store it.
extension Changeset {
    /// A consumer withdraws before the cancellation deadline: the pledge is cancelled, it
    /// leaves its team and the campaign's totals, and its deposit is refunded.
    public static func cancelling(_ pledge: Pledge, in campaign: Campaign, team: Team?,
                                  at now: Timestamp) throws(DomainError) -> (Changeset, Pledge, Campaign) {
        let updated = try campaign.withdrawing(pledge, at: now)
        let cancelled = try pledge.transitioned(to: .cancelled, at: now)
        var changeset = Changeset()
        if let team { changeset.teams.append(try team.leaving()) }
        changeset.pledges.append(cancelled)
        changeset.campaign(from: campaign, to: updated)
        if !pledge.deposit.isZero { changeset.journal.append(try .depositRefunded(pledge)) }
        return (changeset, cancelled, updated)
    }

    /// The consumer pays the rest of the price.
    public static func payingBalance(of pledge: Pledge, in campaign: Campaign,
                                     at now: Timestamp) throws(DomainError) -> (Changeset, Pledge) {
        let (paid, entry) = try campaign.payingBalance(of: pledge, at: now)
        var changeset = Changeset()
        changeset.pledges = [paid]
        changeset.journal = [entry]
        return (changeset, paid)
    }

    /// An edit to a live campaign's terms.
    public static func editing(_ campaign: Campaign, _ edit: CampaignEdit, at now: Timestamp) throws(DomainError) -> (Changeset, Campaign) {
        let edited = try campaign.editing(edit, at: now)
        var changeset = Changeset()
        changeset.editedCampaigns = [edited]
        return (changeset, edited)
    }

    /// A balance payment reported by the storefront: the pledge becomes paid, the payment is kept.
    public static func receiving(_ payment: BalancePayment, for pledge: Pledge, in campaign: Campaign,
                                 at now: Timestamp) throws(DomainError) -> (Changeset, Pledge) {
        let (paid, entry) = try campaign.receiving(payment, for: pledge, at: now)
        var changeset = Changeset()
        changeset.pledges = [paid]
        changeset.journal = [entry]
        changeset.payments = [payment]
        return (changeset, paid)
    }

    /// The balance was not paid by its deadline: the deposit is forfeited or refunded by the
    /// campaign's rule, and the leader's commission on the pledge is reversed.
    public static func defaulting(_ pledge: Pledge, in campaign: Campaign,
                                  at now: Timestamp) throws(DomainError) -> (Changeset, Pledge) {
        let (defaulted, journal) = try campaign.defaulting(pledge, at: now)
        var changeset = Changeset()
        changeset.pledges = [defaulted]
        changeset.journal = journal
        return (changeset, defaulted)
    }

    /// A team that lapsed unfilled (see `TeamExpiry`).
    public static func expiring(_ expiry: TeamExpiry, from original: Campaign) -> Changeset {
        var changeset = Changeset()
        changeset.campaign(from: original, to: expiry.campaign)
        changeset.teams = [expiry.team]
        changeset.pledges = expiry.refundedPledges
        changeset.journal = expiry.journal
        return changeset
    }
}
