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

/// The parts of campaigns that never change once inserted (title, tiers, rules), by id: a
/// pledge then reads only the campaign's status and totals.
final class CampaignDrafts: ConnectionMemo {
    private(set) var drafts: [Int64: CampaignDraft] = [:]

    init() {}

    func forget() { drafts.removeAll() }

    subscript(id: Int64) -> CampaignDraft? { drafts[id] }

    func remember(_ draft: CampaignDraft, id: Int64) {
        if drafts.count >= 10_000 { drafts.removeAll() }
        drafts[id] = draft
    }
}

/// Campaigns' status rows as read in the current write transaction, by id: in a group commit of
/// thirty pledges to one campaign, the row is read once instead of thirty times. Valid for one
/// transaction (`SQLiteConnection.transactionSerial`); the repository keeps it in step with the
/// outcome updates it writes, and the totals it holds are the stored ones (pending deltas are
/// added on every read). Forgotten on rollback like every memo.
final class CampaignStates: ConnectionMemo {
    struct State {
        var status: String, pledgedQuantity: Int64, pledgeCount: Int64, finalUnitPriceMinor: Int64?, closedAt: Int64?
    }

    private var serial: UInt64 = 0
    private var states: [Int64: State] = [:]

    init() {}

    func forget() { states.removeAll() }

    func state(_ id: Int64, serial: UInt64) -> State? { serial == self.serial ? states[id] : nil }

    func remember(_ state: State, id: Int64, serial: UInt64) {
        if serial != self.serial { states.removeAll(keepingCapacity: true); self.serial = serial }
        states[id] = state
    }
}
