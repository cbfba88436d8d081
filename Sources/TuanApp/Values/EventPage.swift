import TuanDomain

/// A page of the event stream with the rows its resources are restored from.
public struct EventPage: Sendable {
    public var events: [StoredEvent]
    public var rows: StoredEvent.Rows
    /// Whether more events follow the page (as of its read).
    public var hasMore: Bool
}
