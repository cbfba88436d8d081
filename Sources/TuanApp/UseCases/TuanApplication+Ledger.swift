import TuanDomain

/// The ledger as an auditor reads it: running balances, the same recomputed from postings,
/// and the deposits that pledges and subscriptions say are held.
public struct LedgerAudit: Sendable {
    public var running: LedgerBalances
    public var fromPostings: LedgerBalances
    public var depositsHeld: [String: Int64]
    /// Refunds decided and not yet paid out, by currency: `refunds_payable` must hold them.
    public var refundsDue: [String: Int64]
    public var journalEntries: Int64

    /// Every currency the ledger, the held deposits or the refunds due mention.
    public var currencies: [String] { Set(running.balances.keys).union(depositsHeld.keys).union(refundsDue.keys).sorted() }

    /// Escrow holds exactly the deposits pledges and subscriptions say are held, in every currency.
    public var escrowMatches: Bool { currencies.allSatisfy { running.escrowHeld(currency: $0) == (depositsHeld[$0] ?? 0) } }

    /// The ledger's liability for refunds equals the refunds on record as due, in every currency.
    public var refundsMatch: Bool { running.owesExactly(refundsDue: refundsDue) }

    /// Balanced, running balances equal to the postings, and both checks above.
    public var isConsistent: Bool { running.isBalanced && running == fromPostings && escrowMatches && refundsMatch }
}

extension TuanApplication {
    public func ledgerBalances() -> UseCase<LedgerBalances> {
        UseCase(self, .read) { try $0.ledgerBalances() }
    }

    /// Read in one snapshot, so the figures agree with one another.
    public func ledgerAudit() -> UseCase<LedgerAudit> {
        UseCase(self, .read) { repositories in
            LedgerAudit(running: try repositories.ledgerBalances(), fromPostings: try repositories.ledgerBalancesFromPostings(),
                        depositsHeld: try repositories.depositsHeld(), refundsDue: try repositories.refundsDue(),
                        journalEntries: try repositories.journalEntryCount())
        }
    }

    public func schemaVersion() -> UseCase<Int> {
        UseCase(self, .read) { try $0.schemaVersion() }
    }
}

extension TuanApplication {
    /// Refunds decided by Tuan, newest first, optionally of one status, consumer or pledge.
    public func refunds(status: Refund.Status? = nil, consumerID: String? = nil, pledgeID: Int64? = nil, limit: Int = 100) -> UseCase<[Refund]> {
        precondition(limit > 0, "at least one refund")
        return UseCase(self, .read) { try $0.refunds(status: status, consumerID: consumerID, pledgeID: pledgeID, limit: limit) }
    }

    /// The storefront paid a refund out: it leaves `refunds_payable` for cash, with the
    /// provider's reference. Reported again with the same reference, nothing changes.
    public func completeRefund(id: Int64, reference: String, at now: Timestamp) -> UseCase<Refund> {
        UseCase(self, .write) { repositories in
            guard let refund = try repositories.refund(id: id) else { throw DomainError(.notFound, "refund \(id) does not exist") }
            let (completed, entry) = try refund.completing(reference: reference, at: now)
            guard let entry else { return completed }
            var changeset = Changeset()
            changeset.journal = [entry]
            changeset.completedRefunds = [completed]
            _ = try self.apply(changeset, to: repositories, at: now)
            return completed
        }
    }
}
