import TuanDomain

/// Baskets as placed: their answer kept under their idempotency key.
public protocol BasketRepository {
    /// The basket placed under (`scope`, `key`): its id, fingerprint and stored answer.
    func basket(idempotencyScope scope: String, key: String) throws -> (id: Int64, fingerprint: String, body: String)?
    /// A basket's stored answer.
    func basketBody(id: Int64) throws -> String?
    /// Inserts a basket and its answer (`body(id)`, made once the id is known).
    func insertBasket(scope: String, key: String, fingerprint: String, consumerID: String, at now: Timestamp,
                      body: (Int64) throws -> String) throws -> (id: Int64, body: String)
}
