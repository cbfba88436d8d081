import TuanApp
import TuanDomain
import TuanStore
import CSQLite

extension SQLiteRepositories {
    public func insertCampaign(_ draft: CampaignDraft, status: CampaignStatus, at now: Timestamp) throws -> Campaign {
        let id = try connection.insert("""
            INSERT INTO campaigns(sku, title, currency, opens_at, closes_at, cancellation_deadline, balance_due_at, threshold,
                                  cap, deposit_minor, max_per_pledge, forfeit_on_default, status, created_at,
                                  team_size, team_window_seconds, team_unit_price_minor, time_zone, max_per_consumer, description,
                                  deposit_credit_minor, style_minimum, delivery_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(draft.sku), .text(draft.title), .text(draft.schedule.currency.code), .integer(draft.opensAt.seconds),
                  .integer(draft.closesAt.seconds), .integer(draft.cancellationDeadline.seconds),
                  .integer(draft.balanceDueAt.seconds), .integer(draft.threshold), SQLiteValue(draft.cap),
                  .integer(draft.depositPerUnit.minor), .integer(draft.maxPerPledge), SQLiteValue(draft.forfeitDepositOnDefault),
                  .text(status.rawValue), .integer(now.seconds), SQLiteValue(draft.team?.size),
                  SQLiteValue(draft.team?.windowSeconds), SQLiteValue(draft.team?.unitPrice.minor), SQLiteValue(draft.timeZone),
                  SQLiteValue(draft.maxPerConsumer), SQLiteValue(draft.description),
                  SQLiteValue(draft.depositCreditPerUnit == draft.depositPerUnit ? nil : draft.depositCreditPerUnit.minor),
                  SQLiteValue(draft.styleMinimum), SQLiteValue(draft.deliveryAt?.seconds)])
        for (position, item) in draft.items.enumerated() {
            try connection.run("""
                INSERT INTO campaign_items(campaign_id, sku, position, price_delta_minor, cap, style) VALUES (?, ?, ?, ?, ?, ?)
                """, [.integer(id), .text(item.sku), .integer(Int64(position)), .integer(item.priceDelta.minor), SQLiteValue(item.cap),
                      SQLiteValue(item.style)])
        }
        for tier in draft.schedule.tiers {
            try connection.run("INSERT INTO price_tiers(campaign_id, min_quantity, unit_price_minor) VALUES (?, ?, ?)",
                               [.integer(id), .integer(tier.minQuantity), .integer(tier.unitPrice.minor)])
        }
        return Campaign(id: id, draft: draft, status: status)
    }

    public func campaign(id: Int64) throws -> Campaign? {
        // The hot path (every pledge): the immutable part from the connection's memo, the
        // status from the memo of rows this connection read or wrote (`CampaignStates`) or
        // else one narrow query, and the totals as stored plus what this transaction has
        // added and not yet written (`CounterTables.campaignTotals`).
        let drafts = connection.memo(CampaignDrafts.self)
        let fullRow = { () throws -> Campaign? in
            guard let row = try self.connection.queryOne(Self.campaignColumns + " WHERE id = ?", [.integer(id)], CampaignRow.init) else {
                return nil
            }
            return try self.campaign(from: row)
        }
        // A draft remembered at another version of the terms (edited since) is read again.
        guard let (draft, version) = drafts[id] else { return try fullRow() }
        let states = connection.inTransaction ? connection.memo(CampaignStates.self) : nil
        let serial = connection.transactionSerial, epoch = connection.storedDataEpoch
        let key: [SQLiteValue] = [.integer(id)]
        let totals = connection.counters(CounterTables.campaignTotals, key: key)
        if let known = states?.state(id, serial: serial, epoch: epoch, storedTotals: { totals.stored }), known.termsVersion == version {
            var campaign = Campaign(id: id, draft: draft, status: .draft)
            try known.apply(to: &campaign, pending: totals.pending)
            try countItems(of: &campaign)
            return campaign
        }
        guard let state = try connection.queryOne(Self.campaignStateByID, key, { CampaignStateRow($0, from: 0) }) else { return nil }
        guard state.termsVersion == version else { return try fullRow() }
        states?.remember(state, id: id, serial: serial, epoch: epoch)
        var campaign = Campaign(id: id, draft: draft, status: .draft)
        try state.apply(to: &campaign, pending: totals.pending)
        try countItems(of: &campaign)
        return campaign
    }

    /// The units each item holds, as stored (a campaign of one implicit item has no items and
    /// reads nothing). Item counts are written at once, not deferred like the campaign's totals:
    /// only campaigns that sell items pay for them.
    private func countItems(of campaign: inout Campaign) throws {
        guard campaign.sellsItems else { return }
        let counts = try connection.query("SELECT sku, pledged_quantity FROM campaign_items WHERE campaign_id = ?",
                                          [.integer(campaign.id)]) { ($0.string(0), $0.int(1)) }
        for (sku, count) in counts {
            if let position = campaign.itemIndex(sku: sku) { campaign.items[position].pledgedQuantity = count }
        }
    }

    /// The stored items' terms, in their order, counts zero (`countItems` reads those).
    private func itemTerms(campaignID: Int64, currency: Currency) throws -> [CampaignItem] {
        try connection.query("""
            SELECT sku, price_delta_minor, cap, style FROM campaign_items WHERE campaign_id = ? ORDER BY position
            """, [.integer(campaignID)]) {
            CampaignItem(restoringSKU: $0.string(0), priceDelta: Money(minor: $0.int(1), currency: currency), cap: $0.optionalInt(2),
                         style: $0.optionalString(3), pledgedQuantity: 0)
        }
    }

    /// An edited campaign's terms (`Campaign.editing` decided them): the row, a new version of
    /// the terms, and the tiers replaced; this connection forgets what it remembered of it.
    func saveCampaignTerms(_ campaign: Campaign) throws {
        try connection.run("""
            UPDATE campaigns SET title = ?, description = ?, closes_at = ?, cancellation_deadline = ?, balance_due_at = ?, cap = ?,
                                 deposit_minor = ?, deposit_credit_minor = ?, terms_version = terms_version + 1
            WHERE id = ?
            """, [.text(campaign.title), SQLiteValue(campaign.description), .integer(campaign.closesAt.seconds),
                  .integer(campaign.cancellationDeadline.seconds), .integer(campaign.balanceDueAt.seconds), SQLiteValue(campaign.cap),
                  .integer(campaign.depositPerUnit.minor),
                  SQLiteValue(campaign.depositCreditPerUnit == campaign.depositPerUnit ? nil : campaign.depositCreditPerUnit.minor),
                  .integer(campaign.id)])
        try connection.run("DELETE FROM price_tiers WHERE campaign_id = ?", [.integer(campaign.id)])
        for tier in campaign.schedule.tiers {
            try connection.run("INSERT INTO price_tiers(campaign_id, min_quantity, unit_price_minor) VALUES (?, ?, ?)",
                               [.integer(campaign.id), .integer(tier.minQuantity), .integer(tier.unitPrice.minor)])
        }
        connection.memo(CampaignDrafts.self).forget(id: campaign.id)
        connection.memo(CampaignStates.self).forget(id: campaign.id)
    }

    /// Campaigns, newest first, optionally of one status.
    public func campaigns(status: CampaignStatus? = nil, sku: String? = nil, limit: Int = 100, afterID: Int64? = nil) throws -> [Campaign] {
        let rows = try connection.query(Self.campaignColumns + """
             WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR sku = ?2) AND (?3 IS NULL OR id < ?3)
             ORDER BY id DESC LIMIT ?4
            """, [SQLiteValue(status?.rawValue), SQLiteValue(sku), SQLiteValue(afterID), .integer(Int64(limit))], CampaignRow.init)
        return try rows.map(campaign(from:))
    }

    /// Campaigns still taking pledges (open or tipped), soonest deadline first.
    public func liveCampaigns(limit: Int) throws -> [Campaign] {
        try connection.query(Self.campaignColumns + " WHERE status IN ('open', 'tipped') ORDER BY closes_at, id LIMIT ?",
                             [.integer(Int64(limit))], CampaignRow.init).map(campaign(from:))
    }

    /// Open campaigns whose deadline has passed, and campaigns left `closing` (a close
    /// interrupted by a restart): the scheduler closes, or resumes closing, these.
    public func campaignsDueToClose(at now: Timestamp) throws -> [Int64] {
        try connection.query("SELECT id FROM campaigns WHERE (status IN ('open', 'tipped') AND closes_at <= ?) OR status = 'closing' ORDER BY closes_at",
                             [.integer(now.seconds)]) { $0.int(0) }
    }

    public func nextCampaignDeadline() throws -> Timestamp? {
        try connection.scalarInt("SELECT MIN(closes_at) FROM campaigns WHERE status IN ('open', 'tipped')").map(Timestamp.init)
    }

    /// Saves a decided change: the outcome columns at once, the totals as deltas written at
    /// COMMIT (`CounterTables.campaignTotals`), whose sums the table's CHECK holds to the cap.
    func saveCampaignChange(_ change: Changeset.CampaignChange) throws {
        if let outcome = change.outcome {
            precondition(outcome.id == change.campaignID, "a campaign's outcome is saved on its own row")
            try connection.run("UPDATE campaigns SET status = ?, final_unit_price_minor = ?, closed_at = ? WHERE id = ?",
                               [.text(outcome.status.rawValue), SQLiteValue(outcome.finalUnitPrice?.minor),
                                SQLiteValue(outcome.closedAt?.seconds), .integer(change.campaignID)])
            if outcome.status == .succeeded || outcome.status == .failed { try noteHistoryChange() }
            // The memo's row is the stored one: new outcome, the totals as stored before the deltas.
            connection.memo(CampaignStates.self).saved(outcome: outcome.status.rawValue, finalUnitPriceMinor: outcome.finalUnitPrice?.minor,
                                                       closedAt: outcome.closedAt?.seconds, id: change.campaignID,
                                                       epoch: connection.storedDataEpoch)
        }
        for delta in change.itemDeltas {
            // The table's CHECK holds each item to zero and its cap, the pair of the domain's assertion.
            do {
                try connection.run("UPDATE campaign_items SET pledged_quantity = pledged_quantity + ? WHERE campaign_id = ? AND sku = ?",
                                   [.integer(delta.quantity), .integer(change.campaignID), .text(delta.sku)])
            } catch let error as SQLiteError where error.primaryCode == SQLITE_CONSTRAINT {
                throw StoreInvariantError("campaign \(change.campaignID)'s item \(delta.sku) would leave zero..cap by \(delta.quantity)")
            }
        }
        guard change.quantityDelta != 0 || change.pledgeCountDelta != 0 else { return }
        let key: [SQLiteValue] = [.integer(change.campaignID)]
        // The pair of the domain's assertion, after the write: the totals as this transaction
        // now sees them stay within zero and the cap.
        let totals = try connection.add(Counters(change.quantityDelta, change.pledgeCountDelta), to: CounterTables.campaignTotals, key: key)
        guard totals[0] >= 0, totals[1] >= 0, try withinCap(change.campaignID, quantity: totals[0]) else {
            throw StoreInvariantError("campaign \(change.campaignID) would be saved with \(totals[0]) units in \(totals[1]) pledges")
        }
    }

    private func withinCap(_ id: Int64, quantity: Int64) throws -> Bool {
        guard let draft = connection.memo(CampaignDrafts.self)[id]?.draft else {
            return try connection.queryOne("SELECT cap FROM campaigns WHERE id = ?", [.integer(id)]) { $0.optionalInt(0).map { quantity <= $0 } ?? true } ?? true
        }
        return draft.cap.map { quantity <= $0 } ?? true
    }

    static let campaignColumns = """
        SELECT id, sku, title, currency, opens_at, closes_at, cancellation_deadline, balance_due_at, threshold, cap,
               deposit_minor, max_per_pledge, forfeit_on_default, status, pledged_quantity, pledge_count,
               final_unit_price_minor, closed_at, terms_version, team_size, team_window_seconds, team_unit_price_minor, time_zone,
               max_per_consumer, description, deposit_credit_minor, style_minimum, delivery_at
        FROM campaigns
        """

    static let campaignStateByID =
        "SELECT status, pledged_quantity, pledge_count, final_unit_price_minor, closed_at, terms_version FROM campaigns WHERE id = ?"

    private func campaign(from row: CampaignRow) throws -> Campaign {
        let currency = Currency(restoring: row.currency)
        let tiers = try connection.query(
            "SELECT min_quantity, unit_price_minor FROM price_tiers WHERE campaign_id = ? ORDER BY min_quantity",
            [.integer(row.id)]) { PriceTier(minQuantity: $0.int(0), unitPrice: Money(minor: $0.int(1), currency: currency)) }
        var draft = CampaignDraft(
            restoringSKU: row.sku, title: row.title, opensAt: Timestamp(seconds: row.opensAt), closesAt: Timestamp(seconds: row.closesAt),
            cancellationDeadline: Timestamp(seconds: row.cancellationDeadline), balanceDueAt: Timestamp(seconds: row.balanceDueAt),
            threshold: row.threshold, cap: row.cap, schedule: PriceSchedule(restoring: tiers),
            depositPerUnit: Money(minor: row.depositMinor, currency: currency), maxPerPledge: row.maxPerPledge,
            forfeitDepositOnDefault: row.forfeitOnDefault,
            team: row.teamSize.map { size in
                TeamRule(restoringSize: size, windowSeconds: row.teamWindowSeconds ?? 0,
                         unitPrice: Money(minor: row.teamUnitPriceMinor ?? 0, currency: currency))
            })
        draft.timeZone = row.timeZone
        draft.maxPerConsumer = row.maxPerConsumer
        draft.description = row.description
        if let credit = row.depositCreditMinor { draft.depositCreditPerUnit = Money(minor: credit, currency: currency) }
        draft.styleMinimum = row.styleMinimum
        draft.deliveryAt = row.deliveryAt.map(Timestamp.init(seconds:))
        draft.items = try itemTerms(campaignID: row.id, currency: currency)
        var campaign = Campaign(id: row.id, draft: draft, status: .draft)
        try row.state.apply(to: &campaign, pending: connection.counters(CounterTables.campaignTotals, key: [.integer(row.id)]).pending)
        try countItems(of: &campaign)
        connection.memo(CampaignDrafts.self).remember(draft, id: row.id, version: row.state.termsVersion)
        return campaign
    }

}

/// The columns of one campaign row, read before the tiers are fetched.
private struct CampaignRow {
    var id: Int64, sku: String, title: String, currency: String
    var opensAt: Int64, closesAt: Int64, cancellationDeadline: Int64, balanceDueAt: Int64
    var threshold: Int64, cap: Int64?, depositMinor: Int64, maxPerPledge: Int64, forfeitOnDefault: Bool
    var state: CampaignStateRow
    var teamSize: Int64?, teamWindowSeconds: Int64?, teamUnitPriceMinor: Int64?
    var timeZone: String?
    var maxPerConsumer: Int64?
    var description: String?
    var depositCreditMinor: Int64?
    var styleMinimum: Int64?
    var deliveryAt: Int64?

    init(_ row: Row) {
        id = row.int(0); sku = row.string(1); title = row.string(2); currency = row.string(3)
        opensAt = row.int(4); closesAt = row.int(5); cancellationDeadline = row.int(6); balanceDueAt = row.int(7)
        threshold = row.int(8); cap = row.optionalInt(9); depositMinor = row.int(10); maxPerPledge = row.int(11)
        forfeitOnDefault = row.bool(12); state = CampaignStateRow(row, from: 13)
        teamSize = row.optionalInt(19); teamWindowSeconds = row.optionalInt(20); teamUnitPriceMinor = row.optionalInt(21)
        timeZone = row.optionalString(22)
        maxPerConsumer = row.optionalInt(23)
        description = row.optionalString(24)
        depositCreditMinor = row.optionalInt(25)
        styleMinimum = row.optionalInt(26)
        deliveryAt = row.optionalInt(27)
    }
}

/// The columns that change while a campaign runs (status, counters, outcome), in the order
/// both `campaignColumns` and `campaignStateByID` list them.
struct CampaignStateRow {
    var status: String, pledgedQuantity: Int64, pledgeCount: Int64, finalUnitPriceMinor: Int64?, closedAt: Int64?
    /// Bumped by every edit of the terms: a remembered draft of another version is stale.
    var termsVersion: Int64

    init(_ row: Row, from offset: Int32) {
        status = row.string(offset); pledgedQuantity = row.int(offset + 1); pledgeCount = row.int(offset + 2)
        finalUnitPriceMinor = row.optionalInt(offset + 3); closedAt = row.optionalInt(offset + 4); termsVersion = row.int(offset + 5)
    }

    /// Sets the campaign's state from the row, adding the totals `pending` in this transaction.
    func apply(to campaign: inout Campaign, pending: Counters?) throws {
        guard let parsed = CampaignStatus(rawValue: status) else {
            throw StoreInvariantError("unknown campaign status \(status)")
        }
        let currency = campaign.currency
        campaign.status = parsed
        campaign.pledgedQuantity = pledgedQuantity + (pending?[0] ?? 0)
        campaign.pledgeCount = pledgeCount + (pending?[1] ?? 0)
        campaign.finalUnitPrice = finalUnitPriceMinor.map { Money(minor: $0, currency: currency) }
        campaign.closedAt = closedAt.map(Timestamp.init)
    }
}
