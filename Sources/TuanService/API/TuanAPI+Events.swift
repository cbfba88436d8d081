import TuanDelivery
import TuanDomain
import TuanHTTP
import TuanApp

/// The event stream, pulled (`GET /v1/events`) or pushed (webhook endpoints): every state
/// change in commit order, each with the resource as it was right after it.
extension TuanAPI {
    func addEventRoutes(to router: inout Router<TuanContext>) {
        let app = self.app, clock = self.clock
        router.get("/v1/events") { request, context in
            _ = try context.require(.admin, .storefront)
            let after = try Self.sequenceNumber(request.query["after"], field: "after") ?? 0
            let types = try request.query["types"].map(EventType.matching(list:))
            let campaign = try Self.sequenceNumber(request.query["campaign_id"], field: "campaign_id")
            let limit = try Self.limit(request.query["limit"], default: 100, maximum: 1_000)
            let page = try await app.events(after: after, types: types, campaignID: campaign, limit: limit).run()
            return .json(200, bytes: Self.eventPage(page, after: after))
        }
        router.post("/v1/webhook-endpoints") { request, context in
            _ = try context.require(.admin, .storefront)
            let body = try request.jsonObject(allowed: ["url", "event_types", "secret", "description", "after_seq"])
            let secret = try Self.webhookSecret(body, "secret")
            let status = try await app.createWebhookEndpoint(url: body.string("url"), types: try Self.strings(body, "event_types") ?? [],
                                                             secret: secret, description: body.optionalString("description"),
                                                             afterSeq: body.optionalInt("after_seq"), at: clock()).run()
            return .json(201, status.json(includeSecret: true))
        }
        router.get("/v1/webhook-endpoints") { _, context in
            _ = try context.require(.admin, .storefront)
            let all = try await app.webhookEndpoints().run()
            return .json(200, ["webhook_endpoints": .array(all.map { $0.json() })])
        }
        router.get("/v1/webhook-endpoints/{id}") { _, context in
            _ = try context.require(.admin, .storefront)
            let (status, dead) = try await app.webhookEndpoint(id: try context.id()).run()
            var fields = JSONFieldList()
            status.write(to: &fields, includeSecret: false)
            fields.field("dead_letters", .array(dead.map(\.json)))
            return .json(200, fields.object)
        }
        router.patch("/v1/webhook-endpoints/{id}") { request, context in
            _ = try context.require(.admin, .storefront)
            let id = try context.id()
            let body = try request.jsonObject(allowed: ["url", "event_types", "description", "disabled"])
            let description: String?? = body.contains("description") ? .some(try body.optionalString("description")) : .none
            let status = try await app.updateWebhookEndpoint(id: id, url: body.optionalString("url"), types: try Self.strings(body, "event_types"),
                                                             description: description, disabled: body.optionalBool("disabled"),
                                                             at: clock()).run()
            return .json(200, status.json())
        }
        router.post("/v1/webhook-endpoints/{id}/rotate-secret") { request, context in
            _ = try context.require(.admin, .storefront)
            let id = try context.id()
            let body = request.body.isEmpty ? nil : try request.jsonObject(allowed: ["secret"])
            let secret = try Self.webhookSecret(body, "secret")
            let status = try await app.rotateWebhookSecret(id: id, to: secret, at: clock()).run()
            return .json(200, status.json(includeSecret: true))
        }
        router.post("/v1/webhook-endpoints/{id}/redeliver") { _, context in
            _ = try context.require(.admin, .storefront)
            let requeued = try await app.redeliverWebhookEndpoint(id: try context.id(), at: clock()).run()
            return .json(202, ["requeued": .int(Int64(requeued))])
        }
    }

    /// A page stops growing past this many bytes (an order with thousands of destinations is
    /// large): `has_more` then says to go on from `next_after`. At least one event is sent.
    static let eventPageBytes = 4 * 1024 * 1024

    /// `{"events": [...], "next_after": N, "has_more": bool}`: each event's bytes as a webhook
    /// would carry them, so pulling and pushing give the same items. `next_after` resumes.
    static func eventPage(_ page: EventPage, after: Int64, byteLimit: Int = eventPageBytes) -> [UInt8] {
        var out = Array(#"{"events":["#.utf8)
        out.reserveCapacity(min(byteLimit, page.events.count * 512) + 64)
        var first = true, last = after, cut = false
        for event in page.events {
            if !first, out.count >= byteLimit { cut = true; break }
            last = event.seq
            // A resource whose row is gone cannot be restored (a store deletes no pledge or
            // refund, so never in service); the page still moves past it.
            guard let body = event.body(rows: page.rows) else { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            out += body
            first = false
        }
        out += Array(#"],"next_after":\#(last),"has_more":\#(page.hasMore || cut)}"#.utf8)
        return out
    }

    /// The Standard Webhooks secret `key` gives, checked and refused under that field, or a new
    /// one when it gives none (suppliers, storefront endpoints, rotations).
    static func webhookSecret(_ body: JSONObjectReader?, _ key: String) throws -> String {
        guard let secret = try body?.optionalString(key) else { return WebhookSecret.generate() }
        do { try WebhookSecret.validate(secret) } catch { throw DomainError.invalid(key, error.message) }
        return secret
    }

    static func sequenceNumber(_ text: String?, field: String) throws(DomainError) -> Int64? {
        guard let text else { return nil }
        guard let value = Int64(text), value >= 0 else { throw .invalid(field, "must be a non-negative integer") }
        return value
    }

    static func strings(_ body: JSONObjectReader, _ key: String) throws(DomainError) -> [String]? {
        guard let items = try body.optionalArray(key) else { return nil }
        return try items.map { item throws(DomainError) -> String in
            guard case .string(let text) = item else { throw .invalid(key, "must be an array of strings") }
            return text
        }
    }
}
