import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    /// Writes a balanced journal entry and moves the running balances in the same transaction
    /// (written behind: `PendingWrites`).
    func post(_ entry: JournalEntry, at now: Timestamp) throws {
        let journalID = try connection.insert(
            "INSERT INTO journal_entries(kind, currency, campaign_id, pledge_id, leader_code, memo, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [.text(entry.kind.rawValue), .text(entry.currency.code), SQLiteValue(entry.campaignID), SQLiteValue(entry.pledgeID),
             SQLiteValue(entry.leaderCode), .text(entry.memo), .integer(now.seconds)])
        // All of an entry's postings in one statement (a statement per posting was a tenth of
        // a pledge's time in the writer).
        for start in stride(from: 0, to: entry.postings.count, by: Self.postingInserts.count) {
            let chunk = entry.postings[start..<min(start + Self.postingInserts.count, entry.postings.count)]
            var values: [SQLiteValue] = []
            values.reserveCapacity(4 * chunk.count)
            for (line, posting) in zip(chunk.indices, chunk) {
                values += [.integer(journalID), .integer(Int64(line)), .text(posting.account.rawValue), .integer(posting.amountMinor)]
            }
            try connection.run(Self.postingInserts[chunk.count - 1], values)
        }
        // A refund due goes on record with the entry that makes it due.
        if let due = entry.refundDue, let pledgeID = entry.pledgeID {
            let refundID = try connection.insert("""
                INSERT INTO refunds(journal_id, pledge_id, campaign_id, consumer_id, amount_minor, currency, reason, status, created_at)
                SELECT ?, id, campaign_id, consumer_id, ?, ?, ?, 'due', ? FROM pledges WHERE id = ?
                """, [.integer(journalID), .integer(due.minor), .text(due.currency.code), .text(entry.kind.rawValue),
                      .integer(now.seconds), .integer(pledgeID)])
            try record(DomainEvent(type: .refundDue, campaignID: entry.campaignID, subjectID: refundID, data: nil), at: now)
        }
        for posting in entry.postings {
            do {
                try connection.add(Counters(posting.amountMinor), to: CounterTables.balances,
                                   key: [.text(entry.currency.code), .text(posting.account.rawValue)])
            } catch is CounterOverflowError {
                throw RepositoryConflict.counterOverflow("the \(posting.account.rawValue) balance in \(entry.currency.code)")
            }
        }
    }

    /// `INSERT INTO postings … VALUES (?, ?, ?, ?)` for one to eight rows.
    private static let postingInserts: [String] = (1...8).map { rows in
        "INSERT INTO postings(journal_id, line, account, amount_minor) VALUES "
            + Array(repeating: "(?, ?, ?, ?)", count: rows).joined(separator: ", ")
    }

    /// The running balances kept with each posting.
    public func ledgerBalances() throws -> LedgerBalances {
        // Balances moved in this transaction are written at COMMIT: the table is stale until then.
        guard !connection.hasPendingDeltas(CounterTables.balances) else {
            throw StoreInvariantError("the running balances were read in a write whose balance changes are not written yet")
        }
        var balances = LedgerBalances()
        for (currency, account, amount) in try connection.query(
            "SELECT currency, account, balance_minor FROM account_balances ORDER BY currency, account", [],
            { ($0.string(0), $0.string(1), $0.int(2)) }) {
            if let account = Account(rawValue: account) { balances.add(currency: currency, account: account, amountMinor: amount) }
        }
        return balances
    }

    /// The balances recomputed from every posting: an audit of the running balances.
    public func ledgerBalancesFromPostings() throws -> LedgerBalances {
        var balances = LedgerBalances()
        for (currency, account, amount) in try connection.query("""
            SELECT j.currency, p.account, SUM(p.amount_minor) FROM postings p JOIN journal_entries j ON j.id = p.journal_id
            GROUP BY j.currency, p.account
            """, [], { ($0.string(0), $0.string(1), $0.int(2)) }) {
            if let account = Account(rawValue: account) { balances.add(currency: currency, account: account, amountMinor: amount) }
        }
        return balances
    }

    /// Deposits that pledges and running subscriptions say are held, per currency: must equal
    /// the escrow balance.
    public func depositsHeld() throws -> [String: Int64] {
        var held: [String: Int64] = [:]
        for (currency, amount) in try connection.query("""
            SELECT currency, SUM(deposit_minor) FROM (
                SELECT currency, deposit_minor FROM pledges WHERE status IN ('pledged', 'confirmed')
                -- Lines refunded from a pledge that stands took their part of its deposit back.
                UNION ALL SELECT p.currency, -(p.deposit_minor / p.quantity * l.quantity) FROM pledge_lines l
                    JOIN pledges p ON p.id = l.pledge_id WHERE l.status = 'refunded' AND p.status IN ('pledged', 'confirmed')
                UNION ALL SELECT currency, deposit_minor FROM subscriptions WHERE status <> 'ended')
            GROUP BY currency
            """, [], { ($0.string(0), $0.int(1)) }) {
            held[currency] = amount
        }
        return held
    }

    /// What a leader has earned in commission, net of reversals, per currency.
    public func commissionEarned(leaderCode: String) throws -> [String: Int64] {
        var earned: [String: Int64] = [:]
        for (currency, amount) in try connection.query("""
            SELECT j.currency, SUM(p.amount_minor) FROM journal_entries j JOIN postings p ON p.journal_id = j.id
            WHERE j.leader_code = ? AND p.account = 'commissions' GROUP BY j.currency
            """, [.text(leaderCode)], { ($0.string(0), $0.int(1)) }) {
            earned[currency] = amount
        }
        return earned
    }

    public func journalEntryCount() throws -> Int64 {
        try connection.scalarInt("SELECT COUNT(*) FROM journal_entries") ?? 0
    }
}
