extension CampaignDraft {
    /// The rules a campaign's terms must meet against the product it sells: the product's
    /// currency, and a cap within (and required by) the supplier's capacity.
    public func check(against product: Product?) throws(DomainError) {
        guard let product, product.sku == sku else { throw DomainError(.notFound, field: "sku", "product \(sku) does not exist") }
        guard product.unitCost.currency == schedule.currency else {
            throw .invalid("tiers", "must be priced in \(product.unitCost.currency), the product's currency")
        }
        if let capacity = product.capacity, let cap, cap > capacity {
            throw .invalid("cap", "exceeds the supplier's capacity of \(capacity) for \(product.sku)")
        }
        if let capacity = product.capacity, cap == nil {
            throw .invalid("cap", "is required: \(product.sku) has a supplier capacity of \(capacity)")
        }
    }
}
