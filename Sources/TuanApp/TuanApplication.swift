import TuanDomain

/// Tuan's use cases, each with its transaction: the one way routes, pages, the command line,
/// the scheduler, the delivery worker and the simulator change or read anything. Like GRDB's
/// `AppDatabase`, its write methods run invariant-preserving transactions; callers never see
/// a connection, and every write has the same shape: load a snapshot through the
/// repositories, let the domain decide a changeset (or refuse), apply it.
public final class TuanApplication: Sendable {
    public let engine: any StorageEngine
    /// Called after every commit that may bring a deadline or a delivery nearer (a campaign
    /// created, a purchase order queued), so that sleepers re-read their next deadline.
    private let onChange: @Sendable (ChangeKind) -> Void

    public enum ChangeKind: Sendable {
        case deadlines
        case deliveries
    }

    /// Faults planted in decided changesets, for the simulation's auditor to find; none in service.
    public let faults = ChangesetFaults()

    /// Pledges a close settles per transaction: a chunk of 10 000 holds the writer for tens of
    /// milliseconds, so other writers wait no longer than that.
    public let settlementChunk: Int

    /// Cut-off lead, notice, and the deployment's week grid (`SettingName.weekTimeZone`).
    public let subscriptionPolicy: SubscriptionPolicy

    /// How long before a campaign's `balance_due_at` its unpaid pledges get a `pledge.balance_due` event.
    public let balanceReminderSeconds: Int64

    public init(engine: any StorageEngine, settlementChunk: Int = 10_000, subscriptionPolicy: SubscriptionPolicy = .standard,
                balanceReminderSeconds: Int64 = 24 * 3600, onChange: @escaping @Sendable (ChangeKind) -> Void = { _ in }) {
        precondition(settlementChunk > 0, "a close settles at least one pledge a transaction")
        precondition(balanceReminderSeconds >= 0, "a reminder comes before the deadline")
        self.balanceReminderSeconds = balanceReminderSeconds
        self.engine = engine
        self.settlementChunk = settlementChunk
        self.subscriptionPolicy = subscriptionPolicy
        self.onChange = onChange
    }

    /// Tells the sleepers that a deadline or a delivery may have come nearer.
    func notify(_ kind: ChangeKind) { onChange(kind) }

    public func close() { engine.close() }

    // MARK: transactions

    /// A storage refusal as the domain's error (`UseCase` maps what its body throws).
    static func domainError(_ conflict: RepositoryConflict) -> DomainError {
        switch conflict {
        case .idempotencyKeyTaken: DomainError(.idempotencyConflict, field: "idempotency_key", "this idempotency key is already in use")
        case .changedMeanwhile: DomainError(.conflict, "the record changed while it was being updated; retry")
        case .counterOverflow(let what): DomainError(.overflow, "this would take \(what) past the largest amount the ledger holds")
        }
    }

    /// Applies a changeset after the pair check where money moves: every journal entry in it
    /// balances (they are built balanced; the store checks the sums again at commit).
    func apply(_ changeset: Changeset, to repositories: any Repositories, at now: Timestamp) throws -> AppliedChangeset {
        precondition(changeset.journalBalances, "a changeset's journal entries balance")
        do {
            // A planted fault goes in after the assertion, where a bug in a repository would be.
            if let faulty = faults.faulty(changeset) { return try repositories.apply(faulty, at: now) }
            return try repositories.apply(changeset, at: now)
        } catch let conflict as RepositoryConflict {
            // A taken key is the pledge use case's to answer; the rest are refusals as they stand.
            if case .idempotencyKeyTaken = conflict { throw conflict }
            throw Self.domainError(conflict)
        }
    }
}
