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
        var entry = try balanceChanges[key] ?? BalanceChange(stored: stored(), change: 0)
        let (change, changeOverflow) = entry.change.addingReportingOverflow(amountMinor)
        let (balance, balanceOverflow) = entry.stored.addingReportingOverflow(change)
        guard !changeOverflow, !balanceOverflow, Self.inRange(balance) else { throw Self.overflow(key) }
        entry.change = change
        balanceChanges[key] = entry
    }

    /// A balance's range: Int64 without its most negative value, so that every balance can be
    /// negated (shown on its natural side) without leaving Int64.
    static func inRange(_ balance: Int64) -> Bool { balance != .min }

    static func overflow(_ key: BalanceKey) -> DomainError {
        DomainError(.overflow, "this would take the \(key.account) balance in \(key.currency) past the largest amount the ledger holds")
    }
}
