import TuanDomain
import TuanHTTP
import TuanSQLite
import TuanStore

extension TuanAPI {
    /// Operators' token management: list (never the token itself) and revoke.
    func addTokenRoutes(to router: inout Router<TuanContext>) {
        let store = self.store, clock = self.clock, tokens = self.tokens
        router.get("/v1/tokens") { request, context in
            _ = try context.require(.admin)
            let role = try request.query["role"].map { try Principal.Role.parse($0, field: "role") }
            let list = try await store.read { db in try db.tokens(role: role) }
            return .json(200, ["tokens": .array(list.map(\.json))])
        }
        router.post("/v1/tokens/{id}/revoke") { _, context in
            _ = try context.require(.admin)
            let id = try context.id(), now = clock()
            let (record, hash) = try await store.write { db in try db.revokeToken(id: id, at: now) }
            tokens.forget(hash: hash)
            return .json(200, record.json)
        }
    }
}

extension TokenRecord {
    var json: JSONValue {
        ["id": .int(id), "role": .string(principal.role.rawValue), "supplier_id": JSONValue(principal.supplierID),
         "label": JSONValue(label), "created_at": JSONValue(createdAt), "last_used_at": JSONValue(lastUsedAt),
         "revoked_at": JSONValue(revokedAt)]
    }
}
