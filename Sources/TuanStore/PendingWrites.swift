import TuanDomain

/// Write-behind for the rows nearly every pledge rewrites: its campaign's counters and the
/// ledger's running balances (cash and escrow). In a group commit of thirty pledges to one
/// campaign, each of those rows would otherwise be updated thirty times in one transaction,
/// and only the last value survives the commit anyway. Measured: those updates (and the read
/// of the counters before each) were a quarter of the writer's time per pledge.
///
/// The connection keeps this and writes it out before any statement that might read or
/// write those rows, and before COMMIT (`SQLiteConnection.flushPendingWrites`); rolling back
/// discards it. So every statement still sees the rows as if each update had been written
/// at once, and the committed database is the same.
struct PendingWrites {
    struct BalanceKey: Hashable, Comparable {
        let currency: String
        let account: String

        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.currency, lhs.account) < (rhs.currency, rhs.account) }
    }

    /// A running balance whose row is behind: its value in the database and what to add.
    /// Their sum is the balance as every statement should see it, and stays in Int64.
    struct BalanceChange {
        let stored: Int64
        var change: Int64
        var balance: Int64 { stored + change }
    }

    /// The latest state of each campaign whose row is behind.
    private(set) var campaigns: [Int64: Campaign] = [:]
    /// What to add to each running balance.
    private(set) var balanceChanges: [BalanceKey: BalanceChange] = [:]

    var isEmpty: Bool { campaigns.isEmpty && balanceChanges.isEmpty }

    mutating func save(_ campaign: Campaign) { campaigns[campaign.id] = campaign }

    /// Adds `amountMinor` to the balance pending for `key`, whose stored value `stored()`
    /// reads when the key is not pending yet. Refuses (`amount_overflow`, nothing changed) a
    /// sum that leaves Int64, the change or the balance itself.
    mutating func addToBalance(_ key: BalanceKey, amountMinor: Int64, stored: () throws -> Int64) throws {
        // One hash of the key on the usual path (the key is pending already): every pledge moves two balances.
        guard let index = balanceChanges.index(forKey: key) else {
            let entry = BalanceChange(stored: try stored(), change: 0)
            balanceChanges[key] = try Self.adding(amountMinor, to: entry, key)
            return
        }
        balanceChanges.values[index] = try Self.adding(amountMinor, to: balanceChanges.values[index], key)
    }

    /// `entry` with `amountMinor` more, or `amount_overflow` if the change or the balance would leave range.
    static func adding(_ amountMinor: Int64, to entry: BalanceChange, _ key: BalanceKey) throws -> BalanceChange {
        let (change, changeOverflow) = entry.change.addingReportingOverflow(amountMinor)
        let (balance, balanceOverflow) = entry.stored.addingReportingOverflow(change)
        guard !changeOverflow, !balanceOverflow, inRange(balance) else { throw overflow(key) }
        return BalanceChange(stored: entry.stored, change: change)
    }

    /// A balance's range: Int64 without its most negative value, so that every balance can be
    /// negated (shown on its natural side) without leaving Int64.
    private static func inRange(_ balance: Int64) -> Bool { balance != .min }

    private static func overflow(_ key: BalanceKey) -> DomainError {
        DomainError(.overflow, "this would take the \(key.account) balance in \(key.currency) past the largest amount the ledger holds")
    }
}

/// The running balances one connection has read or written, keyed like `PendingWrites`. Only
/// the writer writes balances, but a CLI beside the server may commit too: the cache is checked
/// against `PRAGMA data_version` (which changes when another connection commits) once per
/// transaction, and outside one at every use.
struct KnownBalances {
    private var balances: [PendingWrites.BalanceKey: Int64] = [:]
    private var dataVersion: Int64?
    /// Whether `dataVersion` was compared in the current transaction.
    private(set) var validated = false

    subscript(key: PendingWrites.BalanceKey) -> Int64? { balances[key] }

    mutating func remember(_ key: PendingWrites.BalanceKey, _ balance: Int64) { balances[key] = balance }

    /// Compares the database's data version with the one the cache was filled under, and
    /// empties the cache when another connection has committed since.
    mutating func validate(dataVersion current: Int64, inTransaction: Bool) {
        if current != dataVersion { balances.removeAll(); dataVersion = current }
        validated = inTransaction
    }

    mutating func transactionBegan() { validated = false }

    /// After a rollback: what was remembered inside the transaction was undone.
    mutating func forget() {
        balances.removeAll()
        validated = false
    }
}
