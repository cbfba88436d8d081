import TuanDomain

/// The event stream: appended in the transaction of each change, read in commit order.
public protocol EventRepository {
    /// Appends events for a change made outside a changeset (an inserted campaign, a
    /// subscription, an acknowledgement, a delivery), in the caller's transaction.
    func recordEvents(_ events: [DomainEvent], at now: Timestamp) throws
    /// Up to `limit` events after `seq`, of these types (nil: all) and campaign (nil: any).
    func events(after seq: Int64, types: Set<EventType>?, campaignID: Int64?, limit: Int) throws -> [StoredEvent]
    func event(seq: Int64) throws -> StoredEvent?
    /// The highest sequence number written (0 before any event).
    func latestEventSeq() throws -> Int64
    /// The rows the events' restored resources come from.
    func eventRows(for events: [StoredEvent]) throws -> StoredEvent.Rows
}
