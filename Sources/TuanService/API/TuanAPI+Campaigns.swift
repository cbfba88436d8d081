import TuanDomain
import TuanHTTP
import TuanApp

extension TuanAPI {
    func addCampaignRoutes(to router: inout Router<TuanContext>) {
        let app = self.app, clock = self.clock
        router.post("/v1/campaigns") { request, context in
            _ = try context.require(.admin)
            let body = try request.jsonObject(allowed: [
                "sku", "title", "opens_at", "closes_at", "cancellation_deadline", "balance_due_at", "threshold", "cap",
                "tiers", "deposit_per_unit_minor", "max_per_pledge", "forfeit_deposit_on_default", "publish", "team", "time_zone",
                "max_per_consumer", "description", "deposit_credit_per_unit_minor", "items", "style_minimum", "delivery_at"])
            let itemFields = try Self.itemFields(body)
            // With items, `sku` may be left out: it is the first item's (the draft refuses another),
            // whose product gives the currency.
            let sku = try body.optionalString("sku") ?? itemFields.first?.sku ?? body.string("sku")
            let (priced, skuField) = itemFields.first.map { ($0.sku, "items[0].sku") } ?? (sku, "sku")
            let currency = try await app.snapshot { db in
                guard let product = try db.product(sku: priced) else { throw DomainError(.notFound, field: skuField, "product \(priced) does not exist") }
                return product.unitCost.currency
            }
            let tiers = try Self.tiers(body.optionalArray("tiers") ?? [], currency: currency)
            let team = try body.optionalObject("team", allowed: ["size", "window_seconds", "unit_price_minor"]).map { t throws -> TeamRule in
                try TeamRule(size: t.int("size"), windowSeconds: t.int("window_seconds"),
                             unitPrice: Money(minor: t.int("unit_price_minor"), currency: currency))
            }
            let now = clock()
            let draft = try CampaignDraft(
                sku: sku, title: body.string("title"), opensAt: body.optionalTimestamp("opens_at") ?? now,
                closesAt: body.timestamp("closes_at"), cancellationDeadline: body.optionalTimestamp("cancellation_deadline"),
                balanceDueAt: body.optionalTimestamp("balance_due_at"), threshold: body.int("threshold"), cap: body.optionalInt("cap"),
                tiers: tiers, depositPerUnit: Money(minor: body.optionalInt("deposit_per_unit_minor") ?? 0, currency: currency),
                maxPerPledge: body.optionalInt("max_per_pledge"),
                forfeitDepositOnDefault: body.optionalBool("forfeit_deposit_on_default") ?? true, team: team,
                maxPerConsumer: body.optionalInt("max_per_consumer"), description: body.optionalString("description"),
                depositCreditPerUnit: body.optionalInt("deposit_credit_per_unit_minor").map { Money(minor: $0, currency: currency) },
                items: Self.items(itemFields, currency: currency), styleMinimum: body.optionalInt("style_minimum"))
                .inZone(try Self.knownTimeZone(body.optionalString("time_zone")))
                .delivering(at: body.optionalTimestamp("delivery_at"))
            let publish = try body.optionalBool("publish") ?? true
            let campaign = try await app.createCampaign(draft, publish: publish, at: now).run()
            return .json(201, campaign.json, headers: [("Location", "/v1/campaigns/\(campaign.id)")])
        }
        router.patch("/v1/campaigns/{id}") { request, context in
            _ = try context.require(.admin)
            let id = try context.id()
            let body = try request.jsonObject(allowed: ["title", "description", "closes_at", "cap", "tiers", "deposit_per_unit_minor"])
            let currency = try await app.campaign(id: id).run().currency
            var edit = CampaignEdit(title: try body.optionalString("title"), description: try body.optionalString("description"),
                                    closesAt: try body.optionalTimestamp("closes_at"))
            if body.contains("cap") { edit.cap = try body.optionalInt("cap").map { .raise(to: $0) } ?? .remove }
            if let tiers = try body.optionalArray("tiers") { edit.tiers = try Self.tiers(tiers, currency: currency) }
            edit.depositPerUnit = try body.optionalInt("deposit_per_unit_minor").map { Money(minor: $0, currency: currency) }
            let campaign = try await app.editCampaign(id: id, edit, at: clock()).run()
            return .json(200, campaign.json)
        }
        router.get("/v1/campaigns") { request, _ in
            let status = try request.query["status"].map { s throws -> CampaignStatus in
                guard let status = CampaignStatus(rawValue: s) else { throw DomainError.invalid("status", "is not a campaign status") }
                return status
            }
            let limit = try Self.limit(request.query["limit"], default: 100, maximum: 500)
            let sku = request.query["sku"]
            let campaigns = try await app.campaigns(status: status, sku: sku, limit: limit).run()
            return .json(200, ["campaigns": .array(campaigns.map(\.json))])
        }
        router.get("/v1/campaigns/{id}") { _, context in
            let id = try context.id()
            let campaign = try await app.campaign(id: id).run()
            return .json(200, campaign.json)
        }
        router.post("/v1/campaigns/{id}/publish") { _, context in
            _ = try context.require(.admin)
            let id = try context.id()
            let campaign = try await app.publishCampaign(id: id, at: clock()).run()
            return .json(200, campaign.json)
        }
        for (path, reason) in [("close", CampaignSettlement.Reason.closed), ("cancel", .cancelled)] {
            router.post("/v1/campaigns/{id}/\(path)") { _, context in
                _ = try context.require(.admin)
                let id = try context.id(), now = clock()
                let settlement = try await app.closeCampaign(id: id, reason: reason, at: now).run()
                return .json(200, settlement.json)
            }
        }
    }

    /// Price tiers as the API takes them: `[{"min_quantity": …, "unit_price_minor": …}]`.
    static func tiers(_ values: [JSONValue], currency: Currency) throws(DomainError) -> [PriceTier] {
        var tiers: [PriceTier] = []
        for (index, value) in values.enumerated() {
            let tier = try JSONObjectReader(value, allowed: ["min_quantity", "unit_price_minor"], prefix: "tiers[\(index)].")
            tiers.append(PriceTier(minQuantity: try tier.int("min_quantity"), unitPrice: Money(minor: try tier.int("unit_price_minor"), currency: currency)))
        }
        return tiers
    }

    /// An IANA zone name the system's tz database has, or nil; anything else is a 422.
    static func knownTimeZone(_ name: String?) throws(DomainError) -> String? {
        guard let name else { return nil }
        guard PageSettings.zone(named: name) != nil else {
            throw .invalid("time_zone", "must be an IANA time zone name this system knows, such as Asia/Shanghai")
        }
        return name
    }
}

extension TuanAPI {
    /// A new campaign's `items`: `[{"sku", "price_delta_minor", "cap"}]`, at most `Bounds.campaignItems` read.
    static func itemFields(_ body: JSONObjectReader) throws(DomainError) -> [(sku: String, delta: Int64, cap: Int64?, field: String)] {
        guard let items = try body.optionalArray("items") else { return [] }
        guard !items.isEmpty else { throw DomainError.invalid("items", "must list at least one item, or be left out") }
        var fields: [(sku: String, delta: Int64, cap: Int64?, field: String)] = []
        for (index, item) in items.prefix(Bounds.campaignItems + 1).enumerated() {
            let prefix = "items[\(index)]."
            let reader = try JSONObjectReader(item, allowed: ["sku", "price_delta_minor", "cap"], prefix: prefix)
            fields.append((try reader.string("sku"), try reader.optionalInt("price_delta_minor") ?? 0, try reader.optionalInt("cap"), prefix))
        }
        return fields
    }

    static func items(_ fields: [(sku: String, delta: Int64, cap: Int64?, field: String)], currency: Currency) throws(DomainError) -> [CampaignItem] {
        var items: [CampaignItem] = []
        for item in fields {
            do {
                items.append(try CampaignItem(sku: item.sku, priceDelta: Money(minor: item.delta, currency: currency), cap: item.cap))
            } catch {
                throw error.about(error.field.map { item.field + $0 })
            }
        }
        return items
    }
}
