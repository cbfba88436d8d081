/// A basket as answered: its stored JSON, and whether this was a retry.
public struct BasketOutcome: Sendable {
    public var id: Int64
    public var body: String
    public var replayed: Bool
}
