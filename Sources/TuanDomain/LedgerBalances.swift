/// Account balances folded from journal entries, per currency.
public struct LedgerBalances: Hashable, Sendable {
    /// currency code → account → signed balance (debit positive).
    public private(set) var balances: [String: [Account: Int64]] = [:]

    public init() {}

    public init(entries: some Sequence<JournalEntry>) {
        for entry in entries { post(entry) }
    }

    public mutating func post(_ entry: JournalEntry) {
        for posting in entry.postings {
            balances[entry.currency.code, default: [:]][posting.account, default: 0] &+= posting.amountMinor
        }
    }

    public mutating func add(currency: String, account: Account, amountMinor: Int64) {
        balances[currency, default: [:]][account, default: 0] &+= amountMinor
    }

    public func balance(_ account: Account, currency: String) -> Int64 {
        balances[currency]?[account] ?? 0
    }

    /// Double entry's defining property: debits equal credits in every currency.
    public var isBalanced: Bool {
        balances.values.allSatisfy { $0.values.reduce(0, &+) == 0 }
    }

    /// Escrow as a positive amount held (escrow is credit-normal).
    public func escrowHeld(currency: String) -> Int64 { -balance(.escrow, currency: currency) }
}

extension LedgerBalances {
    /// Whether the liability for refunds equals the refunds on record as due, in every currency
    /// either names: what the ledger check, the auditor's report and a backup's verification ask.
    public func owesExactly(refundsDue: [String: Int64]) -> Bool {
        Set(balances.keys).union(refundsDue.keys).allSatisfy { -balance(.refundsPayable, currency: $0) == (refundsDue[$0] ?? 0) }
    }
}
