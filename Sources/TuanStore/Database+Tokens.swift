import TuanDomain

extension Database {
    /// Stores the hash of a new bearer token for `principal`.
    public func insertToken(hash: String, principal: Principal, at now: Timestamp) throws {
        if principal.role == .supplier {
            guard let supplierID = principal.supplierID else { throw DomainError.invalid("supplier", "is required for the supplier role") }
            _ = try requireSupplier(id: supplierID)
        } else if principal.supplierID != nil {
            throw DomainError.invalid("supplier", "applies only to the supplier role")
        }
        try connection.run("INSERT INTO api_tokens(token_hash, role, supplier_id, created_at) VALUES (?, ?, ?, ?)",
                           [.text(hash), .text(principal.role.rawValue), SQLiteValue(principal.supplierID), .integer(now.seconds)])
    }

    public func principal(tokenHash: String) throws -> Principal? {
        try connection.queryOne("SELECT role, supplier_id FROM api_tokens WHERE token_hash = ?", [.text(tokenHash)]) { row in
            Principal.Role(rawValue: row.string(0)).map { Principal(role: $0, supplierID: row.optionalInt(1)) }
        } ?? nil
    }
}
