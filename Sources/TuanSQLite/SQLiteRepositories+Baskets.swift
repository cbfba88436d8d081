import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    public func basket(idempotencyScope scope: String, key: String) throws -> (id: Int64, fingerprint: String, body: String)? {
        try connection.queryOne("SELECT id, fingerprint, body FROM baskets WHERE idempotency_scope = ? AND idempotency_key = ?",
                                [.text(scope), .text(key)]) { ($0.int(0), $0.string(1), $0.string(2)) }
    }

    public func basketBody(id: Int64) throws -> String? {
        try connection.queryOne("SELECT body FROM baskets WHERE id = ?", [.integer(id)]) { $0.string(0) }
    }

    public func insertBasket(scope: String, key: String, fingerprint: String, consumerID: String, at now: Timestamp,
                             body: (Int64) throws -> String) throws -> (id: Int64, body: String) {
        let id = try connection.insert("""
            INSERT INTO baskets(idempotency_scope, idempotency_key, fingerprint, consumer_id, body, created_at) VALUES (?, ?, ?, ?, '', ?)
            """, [.text(scope), .text(key), .text(fingerprint), .text(consumerID), .integer(now.seconds)])
        let text = try body(id)
        try connection.run("UPDATE baskets SET body = ? WHERE id = ?", [.text(text), .integer(id)])
        return (id, text)
    }
}
