import TuanDomain
import TuanStore

/// One row of `events`: a single event, or `count` alike events whose subjects are stored as
/// runs of ids ("5-9,12"). The row ends at `lastSeq`; its k-th subject is event `first + k`.
struct EventRow {
    var lastSeq: Int64
    var count: Int64
    var type: EventType
    var campaignID: Int64?
    var subjectID: Int64
    var subjects: String?
    var occurredAt: Timestamp
    var data: String?

    static let columns = "SELECT seq, count, type, campaign_id, subject_id, subjects, occurred_at, data FROM events"

    init(_ row: Row) throws {
        guard let type = EventType(rawValue: row.string(2)) else { throw StoreInvariantError("event \(row.int(0)) has an unknown type") }
        lastSeq = row.int(0)
        count = row.int(1)
        self.type = type
        campaignID = row.optionalInt(3)
        subjectID = row.int(4)
        subjects = row.optionalString(5)
        occurredAt = Timestamp(seconds: row.int(6))
        data = row.optionalString(7)
    }

    var firstSeq: Int64 { lastSeq - count + 1 }

    /// `subjects` for ids in event order: "5-9,12" (ascending runs of consecutive ids).
    static func runs(of ids: [Int64]) -> String {
        var text = "", index = 0
        while index < ids.count {
            var end = index
            while end + 1 < ids.count, ids[end + 1] == ids[end] + 1 { end += 1 }
            if !text.isEmpty { text += "," }
            text += end == index ? String(ids[index]) : "\(ids[index])-\(ids[end])"
            index = end + 1
        }
        return text
    }

    /// Its events numbered above `after`, at most `limit`.
    func events(after: Int64, limit: Int) throws -> [StoredEvent] {
        guard let subjects else {
            guard lastSeq > after, limit > 0 else { return [] }
            return [StoredEvent(seq: lastSeq, type: type, campaignID: campaignID, subjectID: subjectID, occurredAt: occurredAt, data: data)]
        }
        var events: [StoredEvent] = []
        var seq = firstSeq
        for run in subjects.split(separator: ",") {
            let bounds = run.split(separator: "-")
            guard let low = bounds.first.flatMap({ Int64($0) }), let high = bounds.count == 2 ? Int64(bounds[1]) : low,
                  bounds.count <= 2, low <= high else {
                throw StoreInvariantError("event row \(lastSeq) has unreadable subjects")
            }
            // Skip what lies at or before `after` without walking it: a webhook reads one event
            // from the middle of a ten-thousand-event row.
            if seq + (high - low) <= after { seq += high - low + 1; continue }
            let skip = max(0, after - seq + 1)
            seq += skip
            for id in (low + skip)...high {
                guard events.count < limit else { return events }
                events.append(StoredEvent(seq: seq, type: type, campaignID: campaignID, subjectID: id, occurredAt: occurredAt, data: nil))
                seq += 1
            }
        }
        guard seq == lastSeq + 1 else { throw StoreInvariantError("event row \(lastSeq) lists \(seq - firstSeq) subjects, not \(count)") }
        return events
    }
}
