import TuanDomain

/// Reads of the double-entry ledger; entries are written only through changesets.
public protocol LedgerRepository {
    /// The running balances kept with each posting.
    func ledgerBalances() throws -> LedgerBalances
    /// The balances recomputed from every posting: an audit of the running ones.
    func ledgerBalancesFromPostings() throws -> LedgerBalances
    /// Deposits that pledges and running subscriptions say are held, per currency.
    func depositsHeld() throws -> [String: Int64]
    /// A leader's commission, net of reversals, per currency.
    func commissionEarned(leaderCode: String) throws -> [String: Int64]
    func journalEntryCount() throws -> Int64
}
