/// A placed basket: which lines became pledges and which were refused (a partial basket), as
/// stored and answered, and as its one `basket.created` event carries it.
public struct Basket: Sendable, Equatable {
    public enum LineOutcome: Sendable, Equatable {
        case placed(Pledge)
        case refused(DomainError)
    }

    public struct Line: Sendable, Equatable {
        public var campaignID: Int64
        public var quantity: Int64
        public var outcome: LineOutcome

        public init(campaignID: Int64, quantity: Int64, outcome: LineOutcome) {
            self.campaignID = campaignID
            self.quantity = quantity
            self.outcome = outcome
        }
    }

    public var id: Int64
    public var consumerID: String
    public var pickupPoint: String?
    public var depositPaymentRef: String?
    public var partial: Bool
    public var lines: [Line]
    public var createdAt: Timestamp

    public init(id: Int64, consumerID: String, pickupPoint: String?, depositPaymentRef: String?, partial: Bool, lines: [Line],
                createdAt: Timestamp) {
        self.id = id
        self.consumerID = consumerID
        self.pickupPoint = pickupPoint
        self.depositPaymentRef = depositPaymentRef
        self.partial = partial
        self.lines = lines
        self.createdAt = createdAt
    }

    public var placedPledges: [Pledge] {
        lines.compactMap { if case .placed(let pledge) = $0.outcome { pledge } else { nil } }
    }

    /// The deposit taken for the basket, per currency (campaigns may differ), in currency order.
    public func depositTotals() throws(DomainError) -> [Money] {
        var totals: [String: Money] = [:]
        for pledge in placedPledges {
            let code = pledge.deposit.currency.code
            totals[code] = try (totals[code] ?? .zero(pledge.deposit.currency)).adding(pledge.deposit)
        }
        return totals.keys.sorted().map { totals[$0]! }
    }
}
