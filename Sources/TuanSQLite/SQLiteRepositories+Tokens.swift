import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    /// Stores the hash of a new bearer token for `principal`; returns its id.
    @discardableResult
    public func insertToken(hash: String, principal: Principal, label: String? = nil, at now: Timestamp) throws -> Int64 {
        try connection.insert("INSERT INTO api_tokens(token_hash, role, supplier_id, leader_id, label, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                                     [.text(hash), .text(principal.role.rawValue), SQLiteValue(principal.supplierID),
                                      SQLiteValue(principal.leaderID), SQLiteValue(label),
                                      .integer(now.seconds)])
    }

    /// The principal of a token that exists and is not revoked.
    public func principal(tokenHash: String) throws -> Principal? {
        try connection.queryOne("SELECT role, supplier_id, leader_id FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", [.text(tokenHash)]) { row in
            Principal.Role(rawValue: row.string(0)).map { Principal(role: $0, supplierID: row.optionalInt(1), leaderID: row.optionalInt(2)) }
        } ?? nil
    }

    /// Every token, oldest first, optionally of one role; revoked ones too unless `activeOnly`.
    public func tokens(role: Principal.Role? = nil, activeOnly: Bool = false) throws -> [TokenRecord] {
        var sql = Self.tokenColumns + " WHERE 1 = 1"
        var values: [SQLiteValue] = []
        if let role { sql += " AND role = ?"; values.append(.text(role.rawValue)) }
        if activeOnly { sql += " AND revoked_at IS NULL" }
        return try connection.query(sql + " ORDER BY id", values, Self.tokenRecord)
    }

    private static let tokenColumns = "SELECT id, role, supplier_id, label, created_at, last_used_at, revoked_at, token_hash, leader_id FROM api_tokens"

    private static func tokenRecord(_ row: Row) -> TokenRecord {
        TokenRecord(id: row.int(0), principal: Principal(role: Principal.Role(rawValue: row.string(1)) ?? .storefront, supplierID: row.optionalInt(2), leaderID: row.optionalInt(8)),
                    label: row.optionalString(3), createdAt: Timestamp(seconds: row.int(4)),
                    lastUsedAt: row.optionalInt(5).map(Timestamp.init(seconds:)), revokedAt: row.optionalInt(6).map(Timestamp.init(seconds:)))
    }

    /// Revokes token `id` (already revoked: unchanged). Returns its record and its hash, so a
    /// running server can forget it at once.
    public func revokeToken(id: Int64, at now: Timestamp) throws -> (record: TokenRecord, hash: String)? {
        try connection.run("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [.integer(now.seconds), .integer(id)])
        return try connection.queryOne(Self.tokenColumns + " WHERE id = ?", [.integer(id)]) { (Self.tokenRecord($0), $0.string(7)) }
    }

    /// Records that a token was used (callers update at most about once a minute per token).
    public func touchToken(hash: String, at now: Timestamp) throws {
        try connection.run("UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?", [.integer(now.seconds), .text(hash)])
    }
}
