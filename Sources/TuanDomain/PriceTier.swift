/// From `minQuantity` total units pledged, everyone in the campaign pays `unitPrice`.
public struct PriceTier: Hashable, Sendable {
    public var minQuantity: Int64
    public var unitPrice: Money

    public init(minQuantity: Int64, unitPrice: Money) {
        self.minQuantity = minQuantity
        self.unitPrice = unitPrice
    }
}

/// A validated ladder of tiers: strictly increasing quantities, prices that never rise.
/// The first tier is the base price and applies below its own minimum too.
public struct PriceSchedule: Hashable, Sendable {
    public let tiers: [PriceTier]

    public init(_ tiers: [PriceTier]) throws(DomainError) {
        guard let first = tiers.first else { throw .invalid("tiers", "must contain at least one tier") }
        guard tiers.count <= 50 else { throw .invalid("tiers", "must contain at most 50 tiers") }
        for (index, tier) in tiers.enumerated() {
            let field = "tiers[\(index)]"
            try Validate.quantity(tier.minQuantity, field: "\(field).min_quantity", in: 0...Bounds.campaignUnits)
            try Validate.amount(tier.unitPrice, field: "\(field).unit_price_minor", minimum: 1)
            guard tier.unitPrice.currency == first.unitPrice.currency else {
                throw .invalid("\(field).unit_price_minor", "must use the same currency as the first tier")
            }
            if index > 0 {
                let previous = tiers[index - 1]
                guard tier.minQuantity > previous.minQuantity else {
                    throw .invalid("\(field).min_quantity", "must be greater than the previous tier's")
                }
                guard tier.unitPrice.minor <= previous.unitPrice.minor else {
                    throw .invalid("\(field).unit_price_minor", "must not be higher than the previous tier's")
                }
            }
        }
        self.tiers = tiers
    }

    /// Stored tiers, restored without the checks they passed when the campaign was created.
    public init(restoring tiers: [PriceTier]) {
        precondition(!tiers.isEmpty, "a stored schedule has at least one tier")
        self.tiers = tiers
    }

    public var currency: Currency { tiers[0].unitPrice.currency }
    public var basePrice: Money { tiers[0].unitPrice }
    public var lowestPrice: Money { tiers[tiers.count - 1].unitPrice }

    /// Index of the tier reached at `quantity` units.
    public func tierIndex(at quantity: Int64) -> Int {
        var reached = 0
        for (index, tier) in tiers.enumerated() where tier.minQuantity <= quantity { reached = index }
        return reached
    }

    public func unitPrice(at quantity: Int64) -> Money { tiers[tierIndex(at: quantity)].unitPrice }

    /// The next tier above the one reached, if any, and how many more units unlock it.
    public func nextTier(after quantity: Int64) -> (tier: PriceTier, unitsNeeded: Int64)? {
        let index = tierIndex(at: quantity)
        guard index + 1 < tiers.count else { return nil }
        let next = tiers[index + 1]
        return (next, next.minQuantity - quantity)
    }
}
