import TuanDomain
import TuanStore

/// The parts of campaigns that never change once inserted (title, tiers, rules), by id: a
/// pledge then reads only the campaign's status and totals.
final class CampaignDrafts: ConnectionMemo {
    /// Each with the version of the terms it was read at (`terms_version`, bumped by edits).
    private(set) var drafts: [Int64: (draft: CampaignDraft, version: Int64)] = [:]

    init() {}

    func forget() { drafts.removeAll() }

    func forget(id: Int64) { drafts[id] = nil }

    subscript(id: Int64) -> (draft: CampaignDraft, version: Int64)? { drafts[id] }

    func remember(_ draft: CampaignDraft, id: Int64, version: Int64) {
        if drafts.count >= 10_000 { drafts.removeAll() }
        drafts[id] = (draft, version)
    }
}

/// Campaigns' status rows as last read or written by this connection, by id: a pledge then
/// reads no campaign row at all. Only the writer changes a campaign, through
/// `saveCampaignChange`, which keeps this memo in step; so an entry stays valid while the
/// connection's `storedDataEpoch` is unchanged (nobody else committed). The totals it holds
/// are the stored ones when it was read: within that transaction they are used as they are;
/// later, the connection's remembered counters (which its commits keep current) stand in for
/// them, and without those the row is read again. Forgotten on rollback like every memo.
final class CampaignStates: ConnectionMemo {
    private struct Entry {
        var state: CampaignStateRow
        /// The transaction that read the totals, and the epoch the whole row is valid in.
        var serial: UInt64, epoch: UInt64
    }

    private var entries: [Int64: Entry] = [:]
    /// At most this many rows (one per campaign pledged to); past it they are read again.
    static let limit = 10_000

    init() {}

    func forget() { entries.removeAll() }

    func forget(id: Int64) { entries[id] = nil }

    /// The row with its stored totals, if still valid: `storedTotals` gives the totals
    /// remembered since, for a row read in an earlier transaction.
    func state(_ id: Int64, serial: UInt64, epoch: UInt64, storedTotals: () -> Counters?) -> CampaignStateRow? {
        guard let entry = entries[id], entry.epoch == epoch else { return nil }
        if entry.serial == serial { return entry.state }
        guard let totals = storedTotals() else { return nil }
        var state = entry.state
        state.pledgedQuantity = totals[0]
        state.pledgeCount = totals[1]
        return state
    }

    func remember(_ state: CampaignStateRow, id: Int64, serial: UInt64, epoch: UInt64) {
        if entries.count >= Self.limit, entries[id] == nil { entries.removeAll(keepingCapacity: true) }
        entries[id] = Entry(state: state, serial: serial, epoch: epoch)
    }

    /// A decided outcome was written to the row: the memo's row follows it (and is dropped
    /// if it is no longer valid anyway).
    func saved(outcome status: String, finalUnitPriceMinor: Int64?, closedAt: Int64?, id: Int64, epoch: UInt64) {
        guard var entry = entries[id] else { return }
        guard entry.epoch == epoch else { entries[id] = nil; return }
        entry.state.status = status
        entry.state.finalUnitPriceMinor = finalUnitPriceMinor
        entry.state.closedAt = closedAt
        entries[id] = entry
    }
}
