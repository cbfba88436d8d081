import TuanDomain
import TuanHTTP
import TuanApp

/// Baskets (社区团购 checkout): pledges in several campaigns at once, all or nothing, or
/// `"partial": true` to place what fits.
extension TuanAPI {
    func addBasketRoutes(to router: inout Router<TuanContext>) {
        let app = self.app, clock = self.clock
        router.post("/v1/baskets") { request, context in
            let principal = try context.require(.admin, .storefront)
            let key = try Self.idempotencyKey(request)
            let body = try request.jsonObject(allowed: ["consumer_id", "lines", "leader_code", "pickup_point", "deposit_payment_ref", "partial"])
            guard let items = try body.optionalArray("lines") else { throw DomainError.invalid("lines", "is required") }
            var lines: [BasketRequest.Line] = []
            for (index, item) in items.prefix(BasketRequest.maximumLines + 1).enumerated() {
                let line = try JSONObjectReader(item, allowed: ["campaign_id", "quantity", "items"], prefix: "lines[\(index)].")
                let items = try Self.pledgeLines(line, key: "items")
                lines.append(BasketRequest.Line(campaignID: try line.int("campaign_id"),
                                                quantity: items.isEmpty ? try line.int("quantity") : try line.optionalInt("quantity") ?? 0,
                                                items: items))
            }
            let basket: BasketRequest
            do {
                basket = try BasketRequest(consumerID: body.string("consumer_id"), lines: lines, leaderCode: body.optionalString("leader_code"),
                                           pickupPoint: body.optionalString("pickup_point"),
                                           depositPaymentRef: body.optionalString("deposit_payment_ref"),
                                           partial: body.optionalBool("partial") ?? false, idempotencyKey: key)
            } catch let error as DomainError where error.field == "idempotency_key" {
                throw HTTPError(400, code: "invalid_idempotency_key", error.message)
            }
            let outcome = try await app.placeBasket(basket, scope: principal.role.rawValue, at: clock()).run()
            return .json(201, bytes: Array(outcome.body.utf8),
                         headers: [("Location", "/v1/baskets/\(outcome.id)")] + (outcome.replayed ? [("Idempotent-Replayed", "true")] : []))
        }
        router.get("/v1/baskets/{id}") { _, context in
            _ = try context.require(.admin, .storefront)
            return .json(200, bytes: Array(try await app.basket(id: try context.id()).run().utf8))
        }
    }
}
