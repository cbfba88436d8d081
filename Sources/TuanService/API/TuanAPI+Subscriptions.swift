import TuanDomain
import TuanHTTP
import TuanApp

extension TuanAPI {
    func addSubscriptionRoutes(to router: inout Router<TuanContext>) {
        let app = self.app, clock = self.clock, policy = self.app.subscriptionPolicy
        router.post("/v1/subscriptions") { request, context in
            let principal = try context.require(.admin, .storefront)
            let key = try Self.idempotencyKey(request)
            let body = try request.jsonObject(allowed: ["consumer_id", "sku", "quantity", "cadence_weeks", "start", "periods",
                                                         "unit_price_minor", "deposit_minor", "leader_code", "pickup_point"])
            let sku = try body.string("sku")
            let currency = try await app.snapshot { db in try db.requireProduct(sku: sku).unitCost.currency }
            let now = clock()
            let subscribe = try SubscriptionRequest(
                consumerID: body.string("consumer_id"), sku: sku, quantity: body.int("quantity"),
                cadenceWeeks: body.optionalInt("cadence_weeks") ?? 1, start: body.optionalTimestamp("start"),
                periods: body.optionalInt("periods"), unitPrice: Money(minor: body.int("unit_price_minor"), currency: currency),
                deposit: Money(minor: body.optionalInt("deposit_minor") ?? 0, currency: currency),
                leaderCode: body.optionalString("leader_code"), pickupPoint: body.optionalString("pickup_point"), policy: policy, at: now)
            let scope = principal.role.rawValue
            let outcome = try await app.subscribe(subscribe, scope: scope, idempotencyKey: key, at: now).run()
            let s = outcome.subscription
            return .json(201, s.json(upcoming: s.deliveryWeeks(from: s.firstWeek, until: policy.weeks.week(8 * s.cadenceWeeks, after: s.firstWeek), weeks: policy.weeks)),
                         headers: [("Location", "/v1/subscriptions/\(s.id)")] + (outcome.replayed ? [("Idempotent-Replayed", "true")] : []))
        }
        router.get("/v1/subscriptions") { request, context in
            _ = try context.require(.admin, .planner, .storefront)
            let status = try request.query["status"].map { text throws -> Subscription.Status in
                guard let status = Subscription.Status(rawValue: text) else {
                    throw DomainError.invalid("status", "must be one of \(Subscription.Status.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return status
            }
            let sku = request.query["sku"], consumer = request.query["consumer_id"]
            let list = try await app.subscriptions(sku: sku, consumerID: consumer, status: status).run()
            return .json(200, ["subscriptions": .array(list.map { $0.json() })])
        }
        router.get("/v1/subscriptions/{id}") { _, context in
            _ = try context.require(.admin, .planner, .storefront)
            let id = try context.id(), now = clock()
            let (s, delivered) = try await app.snapshot { db in (try db.requireSubscription(id: id), try db.deliveries(subscriptionID: id)) }
            return .json(200, s.json(upcoming: s.upcomingWeeks(policy: policy, at: now), delivered: delivered))
        }
        for action in ["skip", "pause", "resume", "cancel"] {
            router.post("/v1/subscriptions/{id}/\(action)") { request, context in
                _ = try context.require(.admin, .storefront)
                let id = try context.id(), now = clock()
                let change: SubscriptionChange
                switch action {
                case "skip":
                    let body = try request.jsonObject(allowed: ["week"])
                    change = .skip(week: try body.timestamp("week"))
                case "pause":
                    let body = request.body.isEmpty ? nil : try request.jsonObject(allowed: ["from", "until"])
                    change = .pause(from: try body?.optionalTimestamp("from"), until: try body?.optionalTimestamp("until"))
                case "resume": change = .resume
                default: change = .cancel
                }
                let s = try await app.changeSubscription(id: id, change, policy: policy, at: now).run()
                return .json(200, s.json(upcoming: s.upcomingWeeks(policy: policy, at: now)))
            }
        }
    }
}
