extension Principal {
    /// The rules for issuing a token to this principal: a supplier token names a supplier that
    /// exists, a leader token a leader that exists, no other role names either, and the label
    /// is printable text.
    public func checkIssuable(supplier: Supplier?, leader: Leader? = nil, label: String?) throws(DomainError) {
        if role == .leader {
            guard let leaderID else { throw .invalid("leader", "is required for the leader role") }
            guard leader?.id == leaderID else { throw DomainError(.notFound, field: "leader_id", "leader \(leaderID) does not exist") }
        } else if leaderID != nil {
            throw .invalid("leader", "applies only to the leader role")
        }
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
