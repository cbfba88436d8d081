extension CampaignDraft {
    public var sellsItems: Bool { !items.isEmpty }

    /// Items are at most `Bounds.campaignItems`, each SKU once, the first being the campaign's
    /// `sku`; a price difference in the tiers' currency that keeps every unit's full price
    /// within `Bounds.unitAmountMinor` (so every sum the bounds cover still fits); an item's cap
    /// within the campaign's. Team buys price every unit alike, so they sell one item.
    static func checkItems(_ items: [CampaignItem], sku: String, cap: Int64?, schedule: PriceSchedule,
                           team: TeamRule?) throws(DomainError) {
        guard !items.isEmpty else { return }
        guard items.count <= Bounds.campaignItems else { throw .invalid("items", "must list at most \(Bounds.campaignItems) items") }
        guard team == nil else { throw .invalid("team", "a campaign of several items cannot run team buys") }
        guard items[0].sku == sku else { throw .invalid("sku", "must be the first item's SKU, or left out") }
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let field = "items[\(index)]"
            guard seen.insert(item.sku).inserted else { throw .invalid(field + ".sku", "repeats \(item.sku)") }
            guard item.priceDelta.currency == schedule.currency else {
                throw .invalid(field + ".price_delta_minor", "must use the tiers' currency \(schedule.currency)")
            }
            guard schedule.basePrice.minor <= Bounds.unitAmountMinor - item.priceDelta.minor else {
                throw .invalid(field + ".price_delta_minor", "makes a unit cost more than \(Bounds.unitAmountMinor) minor units")
            }
            if let itemCap = item.cap, let cap, itemCap > cap {
                throw .invalid(field + ".cap", "must not exceed the campaign's cap (\(cap))")
            }
        }
    }

    /// The items checked against their products: each exists, in the tiers' currency, capped
    /// within its supplier's capacity, all from one supplier (one purchase order per campaign),
    /// and each item takes its product's style. A style minimum needs a style to count.
    public func checkingItems(against products: [Product?]) throws(DomainError) -> CampaignDraft {
        precondition(products.count == items.count, "one product looked up per item")
        var copy = self
        var supplier: Int64?
        for (index, product) in products.enumerated() {
            let item = items[index], field = "items[\(index)]"
            guard let product, product.sku == item.sku else {
                throw DomainError(.notFound, field: field + ".sku", "product \(item.sku) does not exist")
            }
            guard product.unitCost.currency == schedule.currency else {
                throw .invalid(field + ".sku", "\(item.sku) is priced in \(product.unitCost.currency), not the tiers' \(schedule.currency)")
            }
            if let capacity = product.capacity, (item.cap ?? cap).map({ $0 > capacity }) ?? true {
                throw .invalid(field + ".cap", "is required within the supplier's capacity of \(capacity) for \(item.sku)")
            }
            if let supplier, supplier != product.supplierID {
                throw .invalid(field + ".sku", "\(item.sku) comes from another supplier: one campaign's items come from one supplier")
            }
            supplier = product.supplierID
            copy.items[index].style = product.style
        }
        if styleMinimum != nil, !copy.items.contains(where: { $0.style != nil }) {
            throw .invalid("style_minimum", "needs items whose products have a style")
        }
        return copy
    }
}
