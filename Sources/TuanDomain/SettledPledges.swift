/// How many pledges a close has settled so far: kept with its plan, so that a close resumed
/// after a restart still answers how many it confirmed and refunded.
public struct SettledPledges: Sendable, Equatable {
    public var confirmed: Int64
    public var refunded: Int64

    public static let none = SettledPledges(confirmed: 0, refunded: 0)

    public init(confirmed: Int64, refunded: Int64) {
        self.confirmed = confirmed
        self.refunded = refunded
    }

    public var isEmpty: Bool { confirmed == 0 && refunded == 0 }

    public func adding(_ more: SettledPledges) -> SettledPledges {
        SettledPledges(confirmed: confirmed + more.confirmed, refunded: refunded + more.refunded)
    }
}
