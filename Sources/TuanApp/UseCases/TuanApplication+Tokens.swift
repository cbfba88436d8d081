import TuanDomain

extension TuanApplication {
    /// Stores the hash of a new bearer token for `principal`; returns its id.
    public func issueToken(hash: String, principal: Principal, label: String? = nil, at now: Timestamp) -> UseCase<Int64> {
        UseCase(self, .write) { repositories in
            try principal.checkIssuable(supplier: try principal.supplierID.flatMap { try repositories.supplier(id: $0) },
                                        leader: try principal.leaderID.flatMap { try repositories.leader(id: $0) }, label: label)
            return try repositories.insertToken(hash: hash, principal: principal, label: label, at: now)
        }
    }

    public func principal(tokenHash: String) -> UseCase<Principal?> {
        UseCase(self, .read) { try $0.principal(tokenHash: tokenHash) }
    }

    public func tokens(role: Principal.Role? = nil, activeOnly: Bool = false) -> UseCase<[TokenRecord]> {
        UseCase(self, .read) { try $0.tokens(role: role, activeOnly: activeOnly) }
    }

    /// Revokes a token (already revoked: unchanged); its record and hash.
    public func revokeToken(id: Int64, at now: Timestamp) -> UseCase<(record: TokenRecord, hash: String)> {
        UseCase(self, .write) { repositories in
            guard let revoked = try repositories.revokeToken(id: id, at: now) else {
                throw DomainError(.notFound, field: "id", "token \(id) does not exist")
            }
            return revoked
        }
    }

    /// Records that a token was used (callers do so at most about once a minute per token).
    public func touchToken(hash: String, at now: Timestamp) -> UseCase<Void> {
        UseCase(self, .write) { try $0.touchToken(hash: hash, at: now) }
    }
}
