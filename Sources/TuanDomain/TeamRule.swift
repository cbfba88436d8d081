/// A campaign's team-buy (拼团) offer: teams of `size` consumers that fill within `window`
/// seconds of the first pledge pay `unitPrice`; a team that does not fill is refunded.
public struct TeamRule: Hashable, Sendable {
    public var size: Int64
    public var windowSeconds: Int64
    public var unitPrice: Money

    public init(size: Int64, windowSeconds: Int64, unitPrice: Money) throws(DomainError) {
        guard (2...50).contains(size) else { throw .invalid("team.size", "must be 2-50 people") }
        guard (60...30 * 86_400).contains(windowSeconds) else {
            throw .invalid("team.window_seconds", "must be between one minute and 30 days")
        }
        try Validate.amount(unitPrice, field: "team.unit_price_minor", minimum: 1)
        self.size = size
        self.windowSeconds = windowSeconds
        self.unitPrice = unitPrice
    }

    /// A stored rule, restored without the checks it passed when the campaign was created.
    public init(restoringSize size: Int64, windowSeconds: Int64, unitPrice: Money) {
        self.size = size
        self.windowSeconds = windowSeconds
        self.unitPrice = unitPrice
    }
}
