/// What one write changes, decided purely from a command and a loaded snapshot: the rows to
/// insert or update, the counter deltas, the journal entries and the purchase orders (each of
/// which carries its outbox message). A repository applies it whole, in one transaction, and
/// decides nothing: every rule has been checked by the time a changeset exists.
public struct Changeset: Sendable, Equatable {
    /// A campaign's change: its running totals as deltas (summed per group commit by the
    /// store), and its outcome columns when they changed.
    public struct CampaignChange: Sendable, Equatable {
        public var campaignID: Int64
        public var quantityDelta: Int64
        public var pledgeCountDelta: Int64
        /// The status, final price and closing time to store; nil when none of them changed.
        public var outcome: Campaign?
        /// Units added to (or taken from) each of its items, when it sells items.
        public var itemDeltas: [(sku: String, quantity: Int64)] = []

        public static func == (lhs: CampaignChange, rhs: CampaignChange) -> Bool {
            lhs.campaignID == rhs.campaignID && lhs.quantityDelta == rhs.quantityDelta && lhs.pledgeCountDelta == rhs.pledgeCountDelta
                && lhs.outcome == rhs.outcome && lhs.itemDeltas.elementsEqual(rhs.itemDeltas) { $0.sku == $1.sku && $0.quantity == $1.quantity }
        }

        public init(campaignID: Int64, quantityDelta: Int64, pledgeCountDelta: Int64, outcome: Campaign? = nil) {
            self.campaignID = campaignID
            self.quantityDelta = quantityDelta
            self.pledgeCountDelta = pledgeCountDelta
            self.outcome = outcome
        }
    }

    /// A pledge to insert, with what makes a retry of its request recognisable.
    public struct NewPledge: Sendable, Equatable {
        /// Its id is assigned when it is inserted.
        public var pledge: Pledge
        public var idempotencyScope: String
        public var fingerprint: String
    }

    /// A team opened by the new pledge: inserted first, and its id goes on the pledge.
    public var newTeam: Team?
    public var newPledge: NewPledge?
    /// Entries about `newPledge` (its deposit): they take its id when it is inserted.
    public var newPledgeJournal: [JournalEntry] = []
    public var campaigns: [CampaignChange] = []
    /// Pledges whose status or commission changed.
    public var pledges: [Pledge] = []
    /// Pledges of which some lines were refunded, the rest standing (status unchanged).
    public var reducedPledges: [Pledge] = []
    /// Units taken from (negative) or put into stock, per SKU.
    public var stockDeltas: [String: Int64] = [:]
    /// Teams whose member count or status changed.
    public var teams: [Team] = []
    public var journal: [JournalEntry] = []
    /// New purchase orders, each inserted with its outbox message.
    public var purchaseOrders: [PurchaseOrder] = []
    /// Campaigns and subscription weeks now waiting for their supplier's daily cut-off.
    public var cycleMembers: [OrderCycleMember] = []
    /// Balance payments received, inserted with their idempotency keys.
    public var payments: [BalancePayment] = []
    /// Live campaigns whose terms were edited (`Campaign.editing`): their terms are rewritten.
    /// An array rather than an optional: a changeset travels the pledge path by value, and an
    /// inline `Campaign?` would make every one of them hundreds of bytes larger.
    public var editedCampaigns: [Campaign] = []
    /// Refunds the storefront reported paid out.
    public var completedRefunds: [Refund] = []
    /// Events decided with the change beyond those `decidedEvents` derives from its rows.
    public var events: [DomainEvent] = []
    /// Whether the new pledge gets its own `pledge.created` (a basket's pledges are told of
    /// in the basket's one event instead).
    public var announcesNewPledge = true

    public init() {}

    /// The team the new pledge opens or joins, as this changeset leaves it.
    public var pledgeTeam: Team? {
        guard let teamID = newPledge?.pledge.teamID else { return newTeam }
        return teams.last { $0.id == teamID } ?? newTeam
    }

    public var isEmpty: Bool { self == Changeset() }

    /// Records the change from `original` to `updated`. A campaign never passes its cap or
    /// goes below zero: asserted here, where the change is decided, as well as where it is saved.
    public mutating func campaign(from original: Campaign, to updated: Campaign) {
        precondition(original.id == updated.id, "a campaign changes into itself")
        precondition(updated.pledgedQuantity >= 0 && updated.pledgeCount >= 0, "campaign \(updated.id) below zero")
        precondition(updated.cap.map { updated.pledgedQuantity <= $0 } ?? true, "campaign \(updated.id) past its cap")
        let outcomeChanged = updated.status != original.status || updated.finalUnitPrice != original.finalUnitPrice
            || updated.closedAt != original.closedAt
        var change = CampaignChange(campaignID: updated.id, quantityDelta: updated.pledgedQuantity - original.pledgedQuantity,
                                    pledgeCountDelta: updated.pledgeCount - original.pledgeCount,
                                    outcome: outcomeChanged ? updated : nil)
        if !updated.items.isEmpty {
            precondition(updated.items.count == original.items.count, "a campaign's items stay as created")
            for (before, after) in zip(original.items, updated.items) where after.pledgedQuantity != before.pledgedQuantity {
                precondition(after.pledgedQuantity >= 0 && (after.cap.map { after.pledgedQuantity <= $0 } ?? true),
                             "campaign \(updated.id)'s item \(after.sku) within zero and its cap")
                change.itemDeltas.append((after.sku, after.pledgedQuantity - before.pledgedQuantity))
            }
        }
        guard change.quantityDelta != 0 || change.pledgeCountDelta != 0 || outcomeChanged else { return }
        campaigns.append(change)
        if updated.status != original.status, let type = EventType.campaign(from: original.status, to: updated.status) {
            events.append(.campaign(type, updated))
        }
    }

    /// Whether every journal entry in it, the new pledge's included, sums to zero: they are
    /// built balanced, and this is the pair check just before the write.
    public var journalBalances: Bool {
        func balanced(_ entries: [JournalEntry]) -> Bool {
            entries.allSatisfy { entry in entry.postings.reduce(0) { $0 &+ $1.amountMinor } == 0 }
        }
        return balanced(newPledgeJournal) && balanced(journal)
    }
}
