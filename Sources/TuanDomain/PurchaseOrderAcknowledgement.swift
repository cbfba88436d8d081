/// The supplier's answer to a purchase order: all of it, part of it (a quantity per line and
/// a promised ship date), or none of it (with a reason).
public struct PurchaseOrderAcknowledgement: Hashable, Sendable {
    public enum Decision: String, Sendable, CaseIterable {
        case accepted
        case partiallyAccepted = "partially_accepted"
        case rejected
    }

    public var decision: Decision
    /// SKU → units the supplier will ship. Filled for every line once validated.
    public var acceptedQuantities: [String: Int64]
    public var promisedShipAt: Timestamp?
    public var reason: String?

    public init(decision: Decision, acceptedQuantities: [String: Int64] = [:], promisedShipAt: Timestamp? = nil,
                reason: String? = nil) {
        self.decision = decision
        self.acceptedQuantities = acceptedQuantities
        self.promisedShipAt = promisedShipAt
        self.reason = reason
    }

    /// Checks the answer against `order` and fills in the quantities the decision implies.
    public func validated(against order: PurchaseOrder) throws(DomainError) -> PurchaseOrderAcknowledgement {
        var copy = self
        if let reason { try Validate.text(reason, field: "reason", maxLength: 1000) }
        switch decision {
        case .accepted:
            guard promisedShipAt != nil else { throw .invalid("promised_ship_date", "is required when accepting") }
            guard acceptedQuantities.isEmpty else {
                throw .invalid("lines", "give quantities only for partially_accepted; accepted means every line in full")
            }
            copy.acceptedQuantities = Dictionary(uniqueKeysWithValues: order.lines.map { ($0.sku, $0.orderQuantity) })
        case .rejected:
            guard let reason, !reason.isEmpty else { throw .invalid("reason", "is required when rejecting") }
            guard acceptedQuantities.isEmpty else { throw .invalid("lines", "a rejection accepts no quantities") }
            copy.acceptedQuantities = Dictionary(uniqueKeysWithValues: order.lines.map { ($0.sku, 0) })
        case .partiallyAccepted:
            guard promisedShipAt != nil else { throw .invalid("promised_ship_date", "is required when partially accepting") }
            guard let reason, !reason.isEmpty else { throw .invalid("reason", "is required when partially accepting") }
            let skus = Set(order.lines.map(\.sku))
            for sku in acceptedQuantities.keys where !skus.contains(sku) {
                throw .invalid("lines", "\(sku) is not on this order")
            }
            var short = false
            for line in order.lines {
                guard let quantity = acceptedQuantities[line.sku] else {
                    throw .invalid("lines", "give an accepted quantity for \(line.sku)")
                }
                guard quantity >= 0, quantity <= line.orderQuantity else {
                    throw .invalid("lines", "accepted quantity for \(line.sku) must be between 0 and \(line.orderQuantity)")
                }
                if quantity < line.orderQuantity { short = true }
            }
            guard short else { throw .invalid("lines", "every line is accepted in full: send decision accepted") }
        }
        return copy
    }
}
