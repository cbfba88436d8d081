/// An event as the store keeps it, numbered: what `GET /v1/events` lists and webhooks push.
public struct StoredEvent: Sendable, Equatable {
    /// The position in commit order: later commits have higher numbers, and none is reused.
    public var seq: Int64
    public var type: EventType
    public var campaignID: Int64?
    public var subjectID: Int64
    public var occurredAt: Timestamp
    /// The stored resource (`EventType.Resource.stored`).
    public var data: String?

    public init(seq: Int64, type: EventType, campaignID: Int64?, subjectID: Int64, occurredAt: Timestamp, data: String?) {
        self.seq = seq
        self.type = type
        self.campaignID = campaignID
        self.subjectID = subjectID
        self.occurredAt = occurredAt
        self.data = data
    }

    /// Stable, and the webhook id of every delivery of it: receivers dedupe by it.
    public var id: String { Self.id(seq: seq) }

    /// The id of event `seq`, wherever it is named (a dead letter, a delivery).
    public static func id(seq: Int64) -> String { "evt_\(seq)" }

    /// The rows restored resources come from, loaded for a page of events at once.
    public struct Rows: Sendable {
        public var pledges: [Int64: Pledge]
        public var refunds: [Int64: Refund]
        /// When each campaign settled (a confirmed pledge's `updated_at`), for balance reminders.
        public var settledAt: [Int64: Timestamp]

        public init(pledges: [Int64: Pledge] = [:], refunds: [Int64: Refund] = [:], settledAt: [Int64: Timestamp] = [:]) {
            self.pledges = pledges
            self.refunds = refunds
            self.settledAt = settledAt
        }
    }

    /// The Standard Webhooks body, also one item of `GET /v1/events`:
    /// `{id, seq, type, timestamp, campaign_id, data}`, where `data` is the resource as it was
    /// right after the change. Nil if the row it is restored from is gone (never, in a store
    /// that deletes no pledge or refund).
    public func body(rows: Rows) -> [UInt8]? {
        var writer = JSONObjectWriter(capacity: 640)
        writer.field("id", id)
        writer.field("seq", seq)
        writer.field("type", type.rawValue)
        writer.field("timestamp", occurredAt.rfc3339)
        writer.field("campaign_id", campaignID)
        switch type.resource {
        case .stored:
            guard let data else { return nil }
            writer.field("data", serialized: data.utf8)
        case .pledge(let status):
            guard var pledge = rows.pledges[subjectID]?.asOf(occurredAt) else { return nil }
            pledge.status = status
            switch type {
            case .pledgeCreated:
                // Commission is fixed at confirmation, after this.
                pledge.commission = nil
                pledge.updatedAt = pledge.createdAt
            case .pledgeBalanceDue:
                // A reminder changes nothing: the pledge is as its campaign's settlement left it.
                guard let settled = rows.settledAt[pledge.campaignID] else { return nil }
                pledge.updatedAt = settled
            default:
                pledge.updatedAt = occurredAt
            }
            var fields = JSONObjectWriter()
            pledge.writeJSON(to: &fields)
            writer.field("data", serialized: fields.finish())
        case .refund(let status):
            guard var refund = rows.refunds[subjectID] else { return nil }
            if status == .due {
                refund.status = .due
                refund.reference = nil
                refund.completedAt = nil
            }
            writer.field("data", refund.json)
        }
        return writer.finish()
    }
}
