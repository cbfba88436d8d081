/// A campaign order's units shared out over its live pledges, per SKU in arrival order, when
/// fewer come than the pledges hold (a short answer, a short delivery): earlier pledges are
/// filled first, a line is never split, and a line that no longer fits is refunded in full;
/// a pledge whose every line is refunded is refunded, one with lines left stands for them (its
/// commission shrinks in proportion to its total). A pledge without lines is one line of the
/// order's one SKU. The supplier's answer and the receipt share this one rule.
struct PledgeAllocation {
    /// The pledges that stand (confirmed or paid), earliest first, as they were.
    let live: [Pledge]
    /// The same pledges with what this allocation refunded marked.
    private(set) var working: [Pledge]

    init(pledges: [Pledge], campaignID: Int64?) {
        self.init(pledges: pledges, campaignIDs: campaignID.map { [$0] } ?? [])
    }

    /// Over the pledges of several campaigns (a supplier's order for a delivery day): one
    /// arrival order across them, so the last to pledge anywhere is the first refunded.
    init(pledges: [Pledge], campaignIDs: Set<Int64>) {
        live = campaignIDs.isEmpty ? [] : pledges.filter { campaignIDs.contains($0.campaignID) && ($0.status == .confirmed || $0.status == .paid) }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        working = live
        campaignSKUs = [:]
    }

    /// Over the pledges of `campaigns`, whose SKUs say what a pledge without lines holds (it
    /// is one line of its campaign's one product, not of every SKU in the order).
    init(pledges: [Pledge], campaigns: [Campaign]) {
        self.init(pledges: pledges, campaignIDs: Set(campaigns.map(\.id)))
        know(campaigns)
    }

    /// Learns the SKUs of `campaigns` (those the allocation's pledges belong to, when known).
    mutating func know(_ campaigns: [Campaign]) {
        for campaign in campaigns where !campaign.sellsItems { campaignSKUs[campaign.id] = campaign.sku }
    }

    /// Campaign id → its one product, for campaigns without items.
    private var campaignSKUs: [Int64: String]

    /// Units of `sku` a pledge holds: its active lines of it, or (without lines) its quantity
    /// when its campaign's product is `sku`.
    func units(of pledge: Pledge, _ sku: String) -> Int64 {
        if pledge.lines.isEmpty, let own = campaignSKUs[pledge.campaignID], own != sku { return 0 }
        return pledge.units(of: sku)
    }

    /// Units of `sku` the standing pledges hold now.
    func held(_ sku: String, among campaignIDs: Set<Int64>? = nil) -> Int64 {
        working.reduce(0) { total, pledge in
            guard pledge.status != .refunded, campaignIDs?.contains(pledge.campaignID) ?? true else { return total }
            return total + units(of: pledge, sku)
        }
    }

    /// Fills `room` units of `sku`, earliest first, refunding what does not fit; the
    /// destinations of what is kept.
    /// `among`: only the pledges of these campaigns (nil: all).
    mutating func fill(_ sku: String, room: Int64, among campaignIDs: Set<Int64>? = nil) -> [AggregatedDemand.Destination] {
        var room = room
        var kept: [(String?, String?, Int64)] = []
        for position in working.indices {
            let pledge = working[position]
            guard pledge.status != .refunded, campaignIDs?.contains(pledge.campaignID) ?? true else { continue }
            let units = units(of: pledge, sku)
            guard units > 0 else { continue }
            if units <= room {
                room -= units
                kept.append((pledge.pickupPoint, pledge.leaderCode, units))
            } else if pledge.lines.isEmpty {
                working[position].status = .refunded
            } else {
                for lineIndex in pledge.lines.indices where pledge.lines[lineIndex].sku == sku {
                    working[position].lines[lineIndex].status = .refunded
                }
            }
        }
        return AggregatedDemand.Destination.grouping(kept)
    }

    /// A rounding cut over a loaded tail of the latest pledges: `all` holds the destinations of
    /// every unit of `sku` (loaded or not), and the loaded pledges' part of it is replaced by
    /// what `fill` keeps of `room` (of `campaignIDs`' pledges, all when nil).
    mutating func cut(_ sku: String, room: Int64, from all: [AggregatedDemand.Destination],
                      among campaignIDs: Set<Int64>? = nil) -> [AggregatedDemand.Destination] {
        let before = AggregatedDemand.Destination.grouping(live.compactMap { pledge in
            guard campaignIDs?.contains(pledge.campaignID) ?? true else { return nil }
            let units = units(of: pledge, sku)
            return units > 0 ? (pledge.pickupPoint, pledge.leaderCode, units) : nil
        })
        let filled = fill(sku, room: room, among: campaignIDs)
        return AggregatedDemand.Destination.merging(AggregatedDemand.Destination.subtracting(before, from: all) + filled)
    }

    /// The pledges refunded whole, those reduced to the lines that stand, and the journal
    /// entries that give back what was paid for the rest. `unitPrice` prices a pledge without
    /// lines when `campaign` is not given.
    func settle(at now: Timestamp, unitPrice: Money?, campaign: Campaign?) throws(DomainError) -> (refunded: [Pledge], reduced: [Pledge], journal: [JournalEntry]) {
        try settle(at: now, unitPrice: unitPrice, campaigns: campaign.map { [$0.id: $0] } ?? [:])
    }

    /// As `settle(at:unitPrice:campaign:)`, each pledge priced by its own campaign in `campaigns`.
    func settle(at now: Timestamp, unitPrice: Money?, campaigns: [Int64: Campaign]) throws(DomainError) -> (refunded: [Pledge], reduced: [Pledge], journal: [JournalEntry]) {
        var refunded: [Pledge] = [], reduced: [Pledge] = [], journal: [JournalEntry] = []
        for (before, after) in zip(live, working) where after != before {
            let campaign = campaigns[before.campaignID]
            if after.status == .refunded || after.liveQuantity == 0 {
                var gone = try before.transitioned(to: .refunded, at: now)
                for lineIndex in gone.lines.indices where gone.lines[lineIndex].status == .active {
                    gone.lines[lineIndex].status = .refunded
                    gone.lines[lineIndex].refundedAt = now
                }
                refunded.append(gone)
                journal += try Self.refundEntries(for: before, unitPrice: before.lines.isEmpty ? unitPrice : nil, campaign: campaign)
            } else {
                let dropped = before.lines.indices.filter { before.lines[$0].status == .active && after.lines[$0].status == .refunded }
                var standing = after
                standing.updatedAt = now
                standing.commission = try Self.commission(of: before, keeping: after, campaign: campaign)
                var reversed: Money?
                if let commission = before.commission { reversed = try commission.subtracting(standing.commission ?? .zero(commission.currency)) }
                for lineIndex in dropped { standing.lines[lineIndex].refundedAt = now }
                if let first = dropped.first, let reversed { standing.lines[first].commissionReversedMinor = reversed.minor }
                let part = before.portion(lines: dropped, commission: reversed)
                journal += try Self.refundEntries(for: part, unitPrice: nil, campaign: campaign, status: before.status)
                reduced.append(standing)
            }
        }
        return (refunded, reduced, journal)
    }

    /// What goes back for `pledge` (a whole pledge's live part, or a portion): everything it
    /// paid when paid, else its deposit; and the commission it carried.
    private static func refundEntries(for pledge: Pledge, unitPrice: Money?, campaign: Campaign?,
                                      status: PledgeStatus? = nil) throws(DomainError) -> [JournalEntry] {
        var journal: [JournalEntry] = []
        if (status ?? pledge.status) == .paid {
            let total: Money
            if let campaign { total = try campaign.total(for: pledge) }
            else if let unitPrice { total = try unitPrice.multiplied(by: pledge.liveQuantity) }
            else { throw DomainError(.conflict, "pledge \(pledge.id)'s lines cannot be refunded without its campaign") }
            journal.append(try .saleRefunded(pledge, total: total, credit: try campaign?.depositCredit(for: pledge)))
        } else if !pledge.liveDeposit.isZero {
            journal.append(try .depositRefunded(pledge))
        }
        if let reversal = try JournalEntry.leaderCommissionReversed(pledge) { journal.append(reversal) }
        return journal
    }

    /// The commission left on a pledge whose lines shrank from `before` to `after`: the same
    /// share of it as of the total (rounded down, so what is reversed is never short).
    private static func commission(of before: Pledge, keeping after: Pledge, campaign: Campaign?) throws(DomainError) -> Money? {
        guard let commission = before.commission, !commission.isZero else { return before.commission }
        guard let campaign else { throw DomainError(.conflict, "pledge \(before.id)'s commission needs its campaign") }
        let was = try campaign.total(for: before).minor, now = try campaign.total(for: after).minor
        guard was > 0 else { return commission }
        let product = commission.minor.multipliedFullWidth(by: now)
        return Money(minor: was.dividingFullWidth(product).quotient, currency: commission.currency)
    }
}
