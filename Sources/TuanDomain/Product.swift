/// What a supplier makes, with the packing rules that shape a purchase order.
public struct Product: Hashable, Sendable {
    public var sku: String
    public var supplierID: Int64
    public var name: String
    /// Units per case: orders are rounded up to whole cases.
    public var casePack: Int64
    /// The supplier will not produce fewer units than this in one order.
    public var minimumOrderQuantity: Int64
    public var unitCost: Money
    /// Units the supplier can make per campaign; nil means unconstrained.
    public var capacity: Int64?
    public var category: String
    /// The style this SKU is a variant of (a down jacket in navy, size XL), and what tells it
    /// from the style's other variants. A factory's minimum can count the whole style.
    public var style: String?
    public var attributes: [ProductAttribute]
    /// Days from an order to its delivery (1: next day); nil: `PurchaseOrder.defaultLeadDays`.
    public var leadDays: Int64?
    /// How confirmed units that do not fill whole cases are ordered (`plannedOrder`).
    public var rounding: RoundingPolicy = .up
    public var belowMinimum: BelowMinimum = .roundUp

    public init(sku: String, supplierID: Int64, name: String, casePack: Int64, minimumOrderQuantity: Int64,
                unitCost: Money, capacity: Int64?, category: String = "general", style: String? = nil,
                attributes: [ProductAttribute] = [], leadDays: Int64? = nil) throws(DomainError) {
        try Validate.identifier(sku, field: "sku")
        if let leadDays { try Validate.quantity(leadDays, field: "lead_days", in: 0...365) }
        try Validate.text(name, field: "name", maxLength: 200)
        try Validate.positive(casePack, field: "case_pack", max: Bounds.casePack)
        try Validate.quantity(minimumOrderQuantity, field: "minimum_order_quantity", in: 0...Bounds.campaignUnits)
        try Validate.amount(unitCost, field: "unit_cost_minor")
        if let capacity { try Validate.positive(capacity, field: "capacity", max: Bounds.campaignUnits) }
        try Validate.identifier(category, field: "category")
        if let style { try Validate.identifier(style, field: "style") }
        try ProductAttribute.validate(attributes)
        if !attributes.isEmpty, style == nil { throw .invalid("attributes", "tell a style's variants apart: give the style too") }
        self.init(restoringSKU: sku, supplierID: supplierID, name: name, casePack: casePack, minimumOrderQuantity: minimumOrderQuantity,
                  unitCost: unitCost, capacity: capacity, category: category, style: style, attributes: attributes)
        self.leadDays = leadDays
    }

    /// When an order of this product placed at `now` is delivered.
    public func deliveryDate(orderedAt now: Timestamp) -> Timestamp {
        now.adding(days: leadDays ?? PurchaseOrder.defaultLeadDays)
    }

    /// The quantity to order for `demand` units: at least the MOQ, rounded up to whole cases.
    /// Zero demand orders nothing (an MOQ never creates an order on its own). Demand beyond
    /// what one order line may hold (`Bounds.campaignUnits`) is refused, so the line's cost
    /// (at most that many units at the largest unit cost) stays in range.
    public func orderQuantity(forDemand demand: Int64) throws(DomainError) -> Int64 {
        guard demand > 0 else { return 0 }
        guard demand <= Bounds.campaignUnits else {
            throw DomainError(.overflow, field: "quantity", "\(demand) units of \(sku) exceed the \(Bounds.campaignUnits) one order line may hold")
        }
        let atLeastMinimum = max(demand, minimumOrderQuantity)
        let cases = (atLeastMinimum + casePack - 1) / casePack
        return cases * casePack
    }
}
