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

    /// The latest state of each campaign whose row is behind.
    private(set) var campaigns: [Int64: Campaign] = [:]
    /// What to add to each running balance.
    private(set) var balanceChanges: [BalanceKey: Int64] = [:]

    var isEmpty: Bool { campaigns.isEmpty && balanceChanges.isEmpty }

    mutating func save(_ campaign: Campaign) { campaigns[campaign.id] = campaign }

    mutating func addToBalance(currency: String, account: String, amountMinor: Int64) {
        balanceChanges[BalanceKey(currency: currency, account: account), default: 0] += amountMinor
    }
}
