import Foundation
import TuanForecast
import TuanApp

/// Projections made with one fitted model, by campaign: each kept with the record, the moment
/// it was made as of and the pledges it counted, and given again only for exactly those (a
/// projection is a pure function of the model and of them), so keeping one never changes an answer.
/// Bounded: past `limit` campaigns it starts afresh.
final class ProjectionCache: @unchecked Sendable {
    private struct Kept {
        var record: CampaignHistoryRecord
        var asOf: Int64
        var seen: Int
        var projection: CampaignProjection
    }

    private let lock = NSLock()
    private var kept: [Int64: Kept] = [:]
    private let limit: Int

    init(limit: Int = 20_000) { self.limit = limit }

    /// The projection of `record` as of `asOf`, counting its first `seen` pledge changes: the
    /// kept one, else `make`'s (then kept).
    func projection(of record: CampaignHistoryRecord, asOf: Int64, seen: Int, make: () -> CampaignProjection) -> CampaignProjection {
        lock.lock()
        let entry = kept[record.id]
        lock.unlock()
        if let entry, entry.asOf == asOf, entry.seen == seen, entry.record == record { return entry.projection }
        let projection = make()
        lock.lock()
        if kept.count >= limit { kept.removeAll(keepingCapacity: true) }
        kept[record.id] = Kept(record: record, asOf: asOf, seen: seen, projection: projection)
        lock.unlock()
        return projection
    }
}
