/// Subscribing, decided purely: a replay of the subscription placed under the same key, a
/// refusal, or the subscription to insert with its deposit entry.
public enum SubscriptionPlacement {
    public struct Snapshot: Sendable {
        /// The subscription already placed under the key, with its request's fingerprint.
        public var prior: (id: Int64, fingerprint: String)?
        public var product: Product?
        public var leader: Leader?
        /// Units per delivery the product's supplier's running subscriptions already ask.
        public var supplierRunningUnits: Int64

        public init(prior: (id: Int64, fingerprint: String)?, product: Product?, leader: Leader?, supplierRunningUnits: Int64) {
            self.prior = prior
            self.product = product
            self.leader = leader
            self.supplierRunningUnits = supplierRunningUnits
        }
    }

    public enum Decision: Sendable {
        case replay(subscriptionID: Int64)
        /// Insert `subscription` (id assigned then) and post `deposit` with it, if any.
        case place(Subscription, fingerprint: String)
    }

    public static func decide(_ request: SubscriptionRequest, _ snapshot: Snapshot, at now: Timestamp) throws(DomainError) -> Decision {
        let fingerprint = request.fingerprint
        if let prior = snapshot.prior {
            guard prior.fingerprint == fingerprint else {
                throw DomainError(.idempotencyConflict, field: "idempotency_key", "this idempotency key was already used with a different request")
            }
            return .replay(subscriptionID: prior.id)
        }
        guard let product = snapshot.product else { throw DomainError(.notFound, field: "sku", "product \(request.sku) does not exist") }
        guard product.unitCost.currency == request.unitPrice.currency else {
            throw .invalid("unit_price_minor", "must be in \(product.unitCost.currency), the product's currency")
        }
        try request.checkSupplierTotal(runningUnits: snapshot.supplierRunningUnits)
        var placed = request
        if let code = request.leaderCode {
            guard let leader = snapshot.leader, leader.code == code else { throw DomainError(.invalidField, field: "leader_code", "no group leader has the code \(code)", reason: .unknownLeader) }
            placed.pickupPoint = request.pickupPoint ?? leader.pickupPoint
        }
        return .place(Subscription(id: 0, request: placed, at: now), fingerprint: fingerprint)
    }
}

extension SubscriptionRequest {
    /// Content identity for idempotent retries: each part as `length:text`, joined by `|`.
    /// Stored with every subscription, so the format is fixed.
    public var fingerprint: String {
        [consumerID, sku, String(quantity), String(cadenceWeeks), String(firstWeek.seconds), periods.map(String.init) ?? "",
         String(unitPrice.minor), String(deposit.minor), leaderCode ?? "", pickupPoint ?? ""]
            .map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }
}
