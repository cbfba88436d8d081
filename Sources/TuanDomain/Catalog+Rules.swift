extension Product {
    /// A new product names a supplier that exists and a SKU no product has yet.
    public func checkNew(supplier: Supplier?, existing: Product?) throws(DomainError) {
        guard supplier?.id == supplierID else {
            throw DomainError(.notFound, field: "supplier_id", "supplier \(supplierID) does not exist")
        }
        guard existing == nil else { throw DomainError(.conflict, field: "sku", "product \(sku) already exists") }
    }
}

extension Leader {
    /// A new leader's code is one no leader has yet: consumers quote it with their pledges.
    public func checkNew(existing: Leader?) throws(DomainError) {
        guard existing == nil else { throw DomainError(.conflict, field: "code", "a leader with the code \(code) already exists") }
    }
}

extension DeliveryStatus {
    /// Only a dead or held delivery may be sent again: a pending one is on its way, and a
    /// delivered one would reach the supplier twice.
    public func checkRedeliverable(purchaseOrderID: Int64) throws(DomainError) {
        guard state == .dead || state == .held else {
            throw DomainError(.conflict, "purchase order \(purchaseOrderID) is \(state.rawValue); only a dead or held delivery can be sent again")
        }
    }
}

extension PurchaseOrder {
    /// A supplier sees and answers only its own orders; other roles are checked by their
    /// permissions. 403 rather than 404: suppliers are known parties, so the honest answer.
    public func checkAccess(by principal: Principal) throws(DomainError) {
        if principal.role == .supplier, principal.supplierID != supplierID {
            throw DomainError(.forbidden, "this purchase order belongs to another supplier")
        }
    }
}
