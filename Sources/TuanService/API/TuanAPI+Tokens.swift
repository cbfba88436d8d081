import TuanDomain
import TuanHTTP
import TuanApp

extension TuanAPI {
    /// Operators' token management: list (never the token itself) and revoke.
    func addTokenRoutes(to router: inout Router<TuanContext>) {
        let app = self.app, clock = self.clock, tokens = self.tokens
        router.get("/v1/tokens") { request, context in
            _ = try context.require(.admin)
            let role = try request.query["role"].map { try Principal.Role.parse($0, field: "role") }
            let list = try await app.tokens(role: role).run()
            return .json(200, ["tokens": .array(list.map(\.json))])
        }
        router.post("/v1/tokens/{id}/revoke") { _, context in
            _ = try context.require(.admin)
            let id = try context.id(), now = clock()
            let (record, hash) = try await app.revokeToken(id: id, at: now).run()
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
