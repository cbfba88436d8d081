/// What arrived of an answered purchase order: a quantity per line (a line left out arrived as
/// it was to ship).
public struct PurchaseOrderReceipt: Hashable, Sendable {
    /// SKU → units received. Filled for every line once validated.
    public var receivedQuantities: [String: Int64]
    public var note: String?

    public init(receivedQuantities: [String: Int64] = [:], note: String? = nil) {
        self.receivedQuantities = receivedQuantities
        self.note = note
    }

    /// Checks the receipt against `order` (answered and shipping something, not received yet,
    /// every SKU its own, quantities within one line's bound) and fills in the lines left out.
    public func validated(against order: PurchaseOrder) throws(DomainError) -> PurchaseOrderReceipt {
        guard order.receivedAt == nil else {
            throw DomainError(.invalidTransition, "\(order.number) was already received", reason: .alreadyReceived)
        }
        switch order.status {
        case .open: throw DomainError(.invalidTransition, "\(order.number) has not been answered by its supplier yet")
        case .rejected: throw DomainError(.invalidTransition, "\(order.number) was rejected: nothing ships")
        case .accepted, .partiallyAccepted: break
        }
        if let note { try Validate.text(note, field: "note", maxLength: 1000) }
        let skus = Set(order.lines.map(\.sku))
        for sku in receivedQuantities.keys.sorted() where !skus.contains(sku) { throw .invalid("lines", "\(sku) is not on this order") }
        var copy = self
        for line in order.lines {
            let quantity = receivedQuantities[line.sku] ?? line.shippingQuantity
            guard (0...Bounds.campaignUnits).contains(quantity) else {
                throw .invalid("lines", "received quantity for \(line.sku) must be between 0 and \(Bounds.campaignUnits)")
            }
            copy.receivedQuantities[line.sku] = quantity
        }
        return copy
    }
}
