extension Principal {
    /// The rules for issuing a token to this principal: a supplier token names a supplier that
    /// exists, no other role names one, and the label is printable text.
    public func checkIssuable(supplier: Supplier?, label: String?) throws(DomainError) {
        if role == .supplier {
            guard let supplierID else { throw .invalid("supplier", "is required for the supplier role") }
            guard supplier?.id == supplierID else {
                throw DomainError(.notFound, field: "supplier_id", "supplier \(supplierID) does not exist")
            }
        } else if supplierID != nil {
            throw .invalid("supplier", "applies only to the supplier role")
        }
        if let label { try Principal.validateTokenLabel(label) }
    }
}
