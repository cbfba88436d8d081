import TuanDomain

/// Bearer tokens, stored by hash.
public protocol TokenRepository {
    func insertToken(hash: String, principal: Principal, label: String?, at now: Timestamp) throws -> Int64
    /// The principal of a token that exists and is not revoked.
    func principal(tokenHash: String) throws -> Principal?
    func tokens(role: Principal.Role?, activeOnly: Bool) throws -> [TokenRecord]
    /// Revokes token `id` (already revoked: unchanged); its record and hash, or nil if none.
    func revokeToken(id: Int64, at now: Timestamp) throws -> (record: TokenRecord, hash: String)?
    func touchToken(hash: String, at now: Timestamp) throws
}
