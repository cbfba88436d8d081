import TuanDomain
import TuanStore

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
    private var serial: UInt64 = 0
    private var states: [Int64: CampaignStateRow] = [:]

    init() {}

    func forget() { states.removeAll() }

    func state(_ id: Int64, serial: UInt64) -> CampaignStateRow? { serial == self.serial ? states[id] : nil }

    func remember(_ state: CampaignStateRow, id: Int64, serial: UInt64) {
        if serial != self.serial { states.removeAll(keepingCapacity: true); self.serial = serial }
        states[id] = state
    }
}
