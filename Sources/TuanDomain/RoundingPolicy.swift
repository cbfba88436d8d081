/// How a product's confirmed units become the units ordered, when they do not fill whole cases
/// (Foodsoft rounds down within a tolerance; Open Food Network users ask for surplus to carry).
public enum RoundingPolicy: Hashable, Sendable {
    /// The next full case at or above the MOQ; the surplus is bought (today's rule).
    case up
    /// Down when the units that do not fill a case are at most `tolerance` (their lines are
    /// refunded, the last-arrived first), else up.
    case nearest(tolerance: Int64)
    /// Never more than confirmed: the units that do not fill a case are refunded.
    case down

    public var name: String {
        switch self {
        case .up: "up"
        case .nearest: "nearest"
        case .down: "down"
        }
    }

    public var tolerance: Int64? { if case .nearest(let t) = self { t } else { nil } }

    public static func parse(_ name: String, tolerance: Int64?, field: String = "rounding") throws(DomainError) -> RoundingPolicy {
        switch name {
        case "up": guard tolerance == nil else { throw .invalid("rounding_tolerance", "applies only to nearest") }; return .up
        case "down": guard tolerance == nil else { throw .invalid("rounding_tolerance", "applies only to nearest") }; return .down
        case "nearest":
            guard let tolerance else { throw .invalid("rounding_tolerance", "is required with nearest") }
            try Validate.quantity(tolerance, field: "rounding_tolerance", in: 0...Bounds.casePack)
            return .nearest(tolerance: tolerance)
        default: throw .invalid(field, "must be up, nearest or down")
        }
    }
}

/// What a product's order does when its confirmed units fall short of the MOQ.
public enum BelowMinimum: String, Hashable, Sendable, CaseIterable {
    /// Order the MOQ (in whole cases) anyway; the surplus is bought.
    case roundUp = "round_up"
    /// Order nothing; every pledge line of it is refunded.
    case drop
}

extension Product {
    /// The units to order for `demand` confirmed ones under the product's rounding policy and
    /// below-MOQ rule: at most `demand` when it rounds down or drops, else as `orderQuantity`.
    /// Always a whole number of cases at or above the MOQ, or zero.
    public func plannedOrder(forDemand demand: Int64) throws(DomainError) -> Int64 {
        let up = try orderQuantity(forDemand: demand)
        guard demand > 0 else { return 0 }
        if demand < minimumOrderQuantity { return belowMinimum == .drop ? 0 : up }
        let full = demand / casePack * casePack, rest = demand - full
        guard rest > 0 else { return up }
        let roundsDown: Bool = switch rounding {
        case .up: false
        case .down: true
        case .nearest(let tolerance): rest <= tolerance
        }
        guard roundsDown else { return up }
        // Down past the MOQ is below it: the product's rule for that decides.
        if full < minimumOrderQuantity { return belowMinimum == .drop ? 0 : up }
        return full
    }
}

extension Product {
    /// How `confirmed` units are supplied with `stock` on hand: from stock first, the rest
    /// ordered under the rounding rule (which may order less than the rest: a cut).
    public func supply(forConfirmed confirmed: Int64, stock: Int64) throws(DomainError) -> (fromStock: Int64, order: Int64) {
        let fromStock = min(confirmed, max(0, stock))
        return (fromStock, try plannedOrder(forDemand: confirmed - fromStock))
    }
}
