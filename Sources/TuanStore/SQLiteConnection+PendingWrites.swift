import CSQLite
import TuanDomain

extension SQLiteConnection {
    /// Saves a campaign's status and counters: kept pending inside a transaction (the commit
    /// writes the latest), written at once outside one.
    func saveCampaignState(_ campaign: Campaign) throws {
        // Asserted where the counters are saved, not only by the table's CHECK at the flush:
        // a campaign past its cap, or below zero, is a bug in whatever decided it.
        guard campaign.pledgedQuantity >= 0, campaign.pledgeCount >= 0, campaign.cap.map({ campaign.pledgedQuantity <= $0 }) ?? true else {
            throw StoreInvariantError("campaign \(campaign.id) would be saved with \(campaign.pledgedQuantity) units in \(campaign.pledgeCount) pledges (cap \(campaign.cap.map(String.init) ?? "none"))")
        }
        if inTransaction {
            pending.save(campaign)
        } else {
            try writeCampaignState(campaign)
        }
    }

    /// Moves a running balance: kept pending inside a transaction, written at once outside one.
    /// Either way the new balance is checked first: a sum past Int64 throws `amount_overflow`
    /// and changes nothing (SQLite would otherwise store it as a rounded REAL).
    func addToBalance(currency: String, account: String, amountMinor: Int64) throws {
        let key = PendingWrites.BalanceKey(currency: currency, account: account)
        if inTransaction {
            try pending.addToBalance(key, amountMinor: amountMinor) { try storedBalance(key) }
        } else {
            let checked = try PendingWrites.adding(amountMinor, to: .init(stored: try storedBalance(key), change: 0), key)
            try writeBalanceChange(key, amountMinor: amountMinor)
            knownBalances.remember(key, checked.balance)
        }
    }

    /// The balance as stored; only called for a key with nothing pending, so the row is current.
    /// From `knownBalances` when no other connection has committed since it was filled: a read
    /// per balance per transaction was two statements a pledge for a writer committing one at a time.
    private func storedBalance(_ key: PendingWrites.BalanceKey) throws -> Int64 {
        if !inTransaction || !knownBalances.validated {
            let version = try queryOne("PRAGMA data_version", touchesPendingRows: false) { $0.int(0) } ?? 0
            knownBalances.validate(dataVersion: version, inTransaction: inTransaction)
        }
        if let known = knownBalances[key] { return known }
        let stored = try queryOne("SELECT balance_minor FROM account_balances WHERE currency = ? AND account = ?",
                                  [.text(key.currency), .text(key.account)], touchesPendingRows: false) { $0.int(0) } ?? 0
        knownBalances.remember(key, stored)
        return stored
    }

    /// The campaign as last saved in this transaction, if its row is behind.
    func pendingCampaign(id: Int64) -> Campaign? { pending.campaigns[id] }

    /// Writes every pending update, in a fixed order (campaigns by id, then balances), and
    /// empties the list. A failure leaves the transaction to be rolled back by the caller.
    func flushPendingWrites() throws {
        guard !pending.isEmpty else { return }
        let writes = pending
        // Every journal entry is balanced and posted whole between two statements, so what is
        // pending sums to zero in each currency. If not, a changeset skipped or doubled a posting.
        // A handful of balances are pending (two or three a currency): summed pairwise, no allocation.
        for (key, _) in writes.balanceChanges {
            var sum: Int64 = 0
            for (other, entry) in writes.balanceChanges where other.currency == key.currency { sum &+= entry.change }
            guard sum == 0 else { throw StoreInvariantError("the balance changes pending in \(key.currency) sum to \(sum), not 0") }
        }
        pending = PendingWrites()
        for id in writes.campaigns.keys.sorted() { try writeCampaignState(writes.campaigns[id]!) }
        for key in writes.balanceChanges.keys.sorted() {
            let entry = writes.balanceChanges[key]!
            try writeBalanceChange(key, amountMinor: entry.change)
            knownBalances.remember(key, entry.balance)
        }
    }

    /// Two statements: SQLite rewrites a row's entry in every index whose column an UPDATE
    /// sets, changed or not, so setting `status` on each save rewrote the status index once
    /// per commit. The status goes in its own statement, which matches no row when unchanged.
    private func writeCampaignState(_ campaign: Campaign) throws {
        try run("""
            UPDATE campaigns SET pledged_quantity = ?, pledge_count = ?, final_unit_price_minor = ?, closed_at = ? WHERE id = ?
            """, [.integer(campaign.pledgedQuantity), .integer(campaign.pledgeCount),
                  SQLiteValue(campaign.finalUnitPrice?.minor), SQLiteValue(campaign.closedAt?.seconds), .integer(campaign.id)],
                touchesPendingRows: false)
        try run("UPDATE campaigns SET status = ?1 WHERE id = ?2 AND status <> ?1",
                [.text(campaign.status.rawValue), .integer(campaign.id)], touchesPendingRows: false)
    }

    private func writeBalanceChange(_ key: PendingWrites.BalanceKey, amountMinor: Int64) throws {
        try run("""
            INSERT INTO account_balances(currency, account, balance_minor) VALUES (?1, ?2, ?3)
            ON CONFLICT(currency, account) DO UPDATE SET balance_minor = balance_minor + ?3
            """, [.text(key.currency), .text(key.account), .integer(amountMinor)], touchesPendingRows: false)
    }
}
