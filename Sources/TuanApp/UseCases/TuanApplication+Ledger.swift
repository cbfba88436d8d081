import TuanDomain

/// The ledger as an auditor reads it: running balances, the same recomputed from postings,
/// and the deposits that pledges and subscriptions say are held.
public struct LedgerAudit: Sendable {
    public var running: LedgerBalances
    public var fromPostings: LedgerBalances
    public var depositsHeld: [String: Int64]
    public var journalEntries: Int64
}

extension TuanApplication {
    public func ledgerBalances() -> UseCase<LedgerBalances> {
        UseCase(self, .read) { try $0.ledgerBalances() }
    }

    /// Read in one snapshot, so the figures agree with one another.
    public func ledgerAudit() -> UseCase<LedgerAudit> {
        UseCase(self, .read) { repositories in
            LedgerAudit(running: try repositories.ledgerBalances(), fromPostings: try repositories.ledgerBalancesFromPostings(),
                        depositsHeld: try repositories.depositsHeld(), journalEntries: try repositories.journalEntryCount())
        }
    }

    public func schemaVersion() -> UseCase<Int> {
        UseCase(self, .read) { try $0.schemaVersion() }
    }
}
