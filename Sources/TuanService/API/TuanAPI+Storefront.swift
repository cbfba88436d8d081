import TuanDomain
import TuanHTTP
import TuanApp

/// What a storefront needs to finish a pre-order: balance payments, a consumer's pledges, and
/// the refunds it still owes and has paid out.
extension TuanAPI {
    func addStorefrontRoutes(to router: inout Router<TuanContext>) {
        let app = self.app, clock = self.clock
        router.post("/v1/pledges/{id}/payments") { request, context in
            let principal = try context.require(.admin, .storefront)
            let id = try context.id()
            let key = try Self.idempotencyKey(request)
            let body = try request.jsonObject(allowed: ["amount_minor", "reference"])
            let outcome = try await app.receivePayment(pledgeID: id, amountMinor: body.int("amount_minor"), reference: body.string("reference"),
                                                       scope: principal.role.rawValue, idempotencyKey: key, at: clock()).run()
            return .json(201, ["payment": outcome.payment.json, "pledge": outcome.pledge.json],
                         headers: outcome.replayed ? [("Idempotent-Replayed", "true")] : [])
        }
        router.get("/v1/consumers/{consumer}/pledges") { request, context in
            _ = try context.require(.admin, .storefront)
            // The path arrives percent-decoded; consumer ids are what pledges store (1-128 characters).
            let consumer = context.parameters["consumer"] ?? ""
            guard !consumer.isEmpty, consumer.unicodeScalars.count <= 128 else {
                throw DomainError.invalid("consumer_id", "must be 1-128 characters")
            }
            let limit = try Self.limit(request.query["limit"], default: 100, maximum: 500)
            let pledges = try await app.consumerPledges(consumerID: consumer, limit: limit).run()
            return .json(200, ["consumer_id": .string(consumer), "pledges": .array(pledges.map(\.json))])
        }
        router.get("/v1/refunds") { request, context in
            _ = try context.require(.admin, .storefront)
            let status = try request.query["status"].map { text throws -> Refund.Status in
                guard let status = Refund.Status(rawValue: text) else { throw DomainError.invalid("status", "must be due or completed") }
                return status
            }
            let limit = try Self.limit(request.query["limit"], default: 100, maximum: 500)
            let refunds = try await app.refunds(status: status, consumerID: request.query["consumer_id"], limit: limit).run()
            return .json(200, ["refunds": .array(refunds.map(\.json))])
        }
        router.post("/v1/refunds/{id}/complete") { request, context in
            _ = try context.require(.admin, .storefront)
            let id = try context.id()
            let body = try request.jsonObject(allowed: ["reference"])
            let refund = try await app.completeRefund(id: id, reference: body.string("reference"), at: clock()).run()
            return .json(200, refund.json)
        }
    }
}
