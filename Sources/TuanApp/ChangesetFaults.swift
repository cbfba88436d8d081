import Synchronization
import TuanDomain

/// A bug planted on purpose between the domain's decision and the store: the seeded
/// simulation turns one on halfway through a run to show its auditor notices. Off unless a
/// test or `tuan simulate-audit --plant` turns it on.
public final class ChangesetFaults: Sendable {
    public enum Fault: String, Sendable, CaseIterable {
        /// One posting of a journal entry is not written: the ledger no longer balances.
        case skippedPosting = "skipped-posting"
        /// A campaign's units move one more than decided: its counter no longer matches its rows.
        case doubledCounter = "doubled-counter"
        /// A new pledge is written without its `pledge.created`: storefronts never hear of it.
        case silentPledge = "silent-pledge"
    }

    /// The planted fault's index in `Fault.allCases`, or -1: read on every write, so an atomic.
    private let planted = Atomic<Int>(-1)

    public func plant(_ fault: Fault?) {
        planted.store(fault.flatMap { Fault.allCases.firstIndex(of: $0) } ?? -1, ordering: .releasing)
    }

    /// The changeset with the planted fault in it; nil (and no copy made) when none is planted.
    func faulty(_ changeset: Changeset) -> Changeset? {
        let index = planted.load(ordering: .acquiring)
        guard index >= 0 else { return nil }
        let fault = Fault.allCases[index]
        var faulty = changeset
        switch fault {
        case .skippedPosting:
            if let index = faulty.newPledgeJournal.firstIndex(where: { $0.postings.count > 1 }) {
                faulty.newPledgeJournal[index].postings.removeLast()
            } else if let index = faulty.journal.firstIndex(where: { $0.postings.count > 1 }) {
                faulty.journal[index].postings.removeLast()
            }
        case .doubledCounter:
            for index in faulty.campaigns.indices where faulty.campaigns[index].quantityDelta != 0 {
                faulty.campaigns[index].quantityDelta += 1
            }
        case .silentPledge:
            faulty.announcesNewPledge = false
        }
        return faulty
    }
}
