/// One thing a campaign sells: a product of the catalogue with its own SKU (a down jacket in
/// navy, size XL), priced at the campaign's tier plus `priceDelta`, optionally capped on its
/// own. Threshold, tiers and the campaign's cap count the units of every item together.
///
/// A campaign created the old way (one `sku`) has no stored items: it sells one implicit
/// item, its SKU with no price difference and the campaign's own cap (`Campaign.sellsItems`
/// is false), so its pledges and answers are exactly what they were.
public struct CampaignItem: Hashable, Sendable {
    public var sku: String
    /// Added to the tier price for each unit of this item (XXL +¥20); never negative.
    public var priceDelta: Money
    /// Units of this item the campaign may hold; nil: only the campaign's cap applies.
    public var cap: Int64?
    /// The product's style, copied when the campaign is created: a style minimum counts by it.
    public var style: String?
    /// Units of this item in live pledges.
    public var pledgedQuantity: Int64

    public var remainingCapacity: Int64? { cap.map { max(0, $0 - pledgedQuantity) } }

    public init(sku: String, priceDelta: Money, cap: Int64? = nil) throws(DomainError) {
        try Validate.identifier(sku, field: "sku")
        try Validate.amount(priceDelta, field: "price_delta_minor")
        if let cap { try Validate.positive(cap, field: "cap", max: Bounds.campaignUnits) }
        self.init(restoringSKU: sku, priceDelta: priceDelta, cap: cap, style: nil, pledgedQuantity: 0)
    }

    public init(restoringSKU sku: String, priceDelta: Money, cap: Int64?, style: String?, pledgedQuantity: Int64) {
        self.sku = sku
        self.priceDelta = priceDelta
        self.cap = cap
        self.style = style
        self.pledgedQuantity = pledgedQuantity
    }
}
