import TuanApp
import TuanDomain
import TuanStore

/// The counters written behind (see `CounterTable`): nearly every pledge moves both.
enum CounterTables {
    /// A campaign's running totals, keyed by campaign id: (pledged_quantity, pledge_count).
    /// The row always exists; the table's CHECK holds the cap when the sums are written.
    static let campaignTotals = CounterTable(
        name: "campaigns.pledged_quantity, pledge_count", keyCount: 1, columnCount: 2,
        select: "SELECT pledged_quantity, pledge_count FROM campaigns WHERE id = ?1",
        upsert: "UPDATE campaigns SET pledged_quantity = pledged_quantity + ?2, pledge_count = pledge_count + ?3 WHERE id = ?1")

    /// The ledger's running balances, keyed by (currency, account). Double-entry: the deltas
    /// of one currency sum to zero at every commit, or the commit fails.
    static let balances = CounterTable(
        name: "account_balances.balance_minor", keyCount: 2, columnCount: 1,
        select: "SELECT balance_minor FROM account_balances WHERE currency = ?1 AND account = ?2",
        upsert: """
            INSERT INTO account_balances(currency, account, balance_minor) VALUES (?1, ?2, ?3)
            ON CONFLICT(currency, account) DO UPDATE SET balance_minor = balance_minor + ?3
            """,
        zeroSumGroup: 0)
}
