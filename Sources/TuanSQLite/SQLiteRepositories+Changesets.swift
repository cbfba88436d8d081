import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    /// Applies a decided changeset, in a fixed order. The new pledge goes first when it opens
    /// no team, so that a taken idempotency key is refused before anything is written (the
    /// application then answers with the pledge that holds the key).
    public func apply(_ changeset: Changeset, at now: Timestamp) throws -> AppliedChangeset {
        var applied = AppliedChangeset()
        applied.teamID = try changeset.newTeam.map(insertTeam)
        if let new = changeset.newPledge {
            let pledgeID = try insertPledge(new.pledge, teamID: applied.teamID ?? new.pledge.teamID, fingerprint: new.fingerprint,
                                            scope: new.idempotencyScope)
            applied.pledgeID = pledgeID
            if let team = changeset.newTeam, let teamID = applied.teamID { try record(.team(.teamOpened, team), subjectID: teamID, at: now) }
            // Written at COMMIT with the batch's other new pledges of the campaign, as one row.
            if changeset.announcesNewPledge { deferEvent(.pledge(new.pledge), subjectID: pledgeID, at: now) }
            for var entry in changeset.newPledgeJournal {
                entry.pledgeID = pledgeID
                try post(entry, at: now)
            }
        }
        // Before any update: a payment refused by its unique keys leaves nothing written.
        for payment in changeset.payments { try insertBalancePayment(payment, at: now) }
        for team in changeset.teams { try saveTeam(team) }
        for pledge in changeset.pledges { try savePledgeStatus(pledge) }
        for pledge in changeset.reducedPledges { try savePledgeStatus(pledge) }
        if !changeset.pledges.isEmpty || !changeset.reducedPledges.isEmpty { try noteOutcomeChanges(of: changeset.pledges + changeset.reducedPledges) }
        for (sku, quantity) in changeset.stockDeltas.isEmpty ? [] : changeset.stockDeltas.sorted(by: { $0.key < $1.key }) {
            // Taken: the row must be there, and its CHECK holds the level at zero or more (a decision
            // that took more than was there fails whole). Put: made if new.
            if quantity < 0 {
                let changed = try connection.run("UPDATE stock_levels SET quantity = quantity + ? WHERE sku = ?", [.integer(quantity), .text(sku)])
                guard changed == 1 else { throw StoreInvariantError("\(-quantity) × \(sku) taken from stock that holds none") }
            } else {
                try addStock([(sku, quantity)])
            }
        }
        for edited in changeset.editedCampaigns { try saveCampaignTerms(edited) }
        for change in changeset.campaigns { try saveCampaignChange(change) }
        for entry in changeset.journal { try post(entry, at: now) }
        for refund in changeset.completedRefunds { try saveCompletedRefund(refund) }
        // An order and its outbox message commit with the rest, or not at all.
        applied.purchaseOrders = try changeset.purchaseOrders.map(insertPurchaseOrder)
        for member in changeset.cycleMembers { try insertCycleMember(member, at: now) }
        for event in changeset.decidedEvents { try record(event, at: now) }
        for order in applied.purchaseOrders { try record(.purchaseOrder(.purchaseOrderCreated, order), at: now) }
        return applied
    }
}
