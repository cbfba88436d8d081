import TuanDelivery
import TuanDomain
import TuanHTTP
import TuanApp

extension TuanAPI {
    func addCatalogRoutes(to router: inout Router<TuanContext>) {
        let app = self.app, clock = self.clock
        router.post("/v1/suppliers") { request, context in
            _ = try context.require(.admin)
            let body = try request.jsonObject(allowed: ["name", "endpoint_url", "webhook_secret", "order_cut_off", "utc_offset_minutes"])
            let name = try body.string("name"), url = try body.optionalString("endpoint_url")
            let secret = try Self.webhookSecret(body, "webhook_secret")
            let cycle = try Self.orderCycle(cutOff: body.optionalString("order_cut_off"), offset: body.optionalInt("utc_offset_minutes"))
            let now = clock()
            var supplier = try await app.createSupplier(name: name, endpointURL: url, webhookSecret: secret, at: now).run()
            if cycle != .immediate { supplier = try await app.setOrderCycle(supplierID: supplier.id, cycle).run() }
            // No Location header: suppliers have no route of their own to point it at.
            return .json(201, supplier.json(includeSecret: true))
        }
        // When the supplier's orders go out: "immediate" (one per close) or a daily cut-off "HH:MM".
        router.patch("/v1/suppliers/{id}") { request, context in
            _ = try context.require(.admin)
            let body = try request.jsonObject(allowed: ["order_cut_off", "utc_offset_minutes"])
            let id = try context.id()
            let current = try await app.supplier(id: id).run()
            let cutOff = try body.optionalString("order_cut_off") ?? current.orderCycle.cutOffText
            let cycle = try Self.orderCycle(cutOff: cutOff, offset: body.optionalInt("utc_offset_minutes") ?? current.orderCycle.utcOffsetMinutes)
            return .json(200, try await app.setOrderCycle(supplierID: id, cycle).run().json())
        }
        router.post("/v1/products") { request, context in
            _ = try context.require(.admin)
            let body = try request.jsonObject(allowed: ["sku", "supplier_id", "name", "case_pack", "minimum_order_quantity",
                                                       "unit_cost_minor", "currency", "capacity", "category", "style", "attributes", "lead_days",
                                                       "rounding", "rounding_tolerance", "below_minimum"])
            let attributes = try (body.optionalFields("attributes") ?? []).map { field throws(DomainError) -> ProductAttribute in
                guard case .string(let value) = field.value else { throw .invalid("attributes.\(field.key)", "must be text") }
                return try ProductAttribute(name: field.key, value: value)
            }
            let currency = try Currency(try body.optionalString("currency") ?? "CNY")
            var product = try Product(
                sku: body.string("sku"), supplierID: body.int("supplier_id"), name: body.string("name"),
                casePack: body.optionalInt("case_pack") ?? 1, minimumOrderQuantity: body.optionalInt("minimum_order_quantity") ?? 0,
                unitCost: Money(minor: body.int("unit_cost_minor"), currency: currency), capacity: body.optionalInt("capacity"),
                category: body.optionalString("category") ?? "general", style: body.optionalString("style"), attributes: attributes,
                leadDays: body.optionalInt("lead_days"))
            try Self.roundingRules(&product, rounding: body.optionalString("rounding"), tolerance: body.optionalInt("rounding_tolerance"),
                                   belowMinimum: body.optionalString("below_minimum"))
            let now = clock()
            try await app.createProduct(product, at: now).run()
            return .json(201, product.json)
        }
        router.get("/v1/products") { request, context in
            _ = try context.require(.admin, .planner, .storefront)
            let products = try await app.products(style: request.query["style"]).run()
            return .json(200, ["products": .array(products.map(\.json))])
        }
    }
}

extension TuanAPI {
    /// "immediate" (or nothing) for an order at each close; "HH:MM" for a daily cut-off at that
    /// local time, local being UTC + `offset` minutes (default +480, China).
    static func orderCycle(cutOff: String?, offset: Int64?) throws(DomainError) -> OrderCycle {
        guard let cutOff, cutOff != "immediate" else {
            if let offset { return try OrderCycle(minuteOfDay: nil, utcOffsetMinutes: offset) }
            return .immediate
        }
        guard let minute = OrderCycle.minuteOfDay(parsing: cutOff) else {
            throw .invalid("order_cut_off", "must be immediate or a time of day HH:MM (00:00 to 23:59)")
        }
        return try OrderCycle(minuteOfDay: minute, utcOffsetMinutes: offset ?? OrderCycle.defaultOffsetMinutes)
    }

    /// A product's rounding policy and below-MOQ rule, as given (the defaults otherwise).
    static func roundingRules(_ product: inout Product, rounding: String?, tolerance: Int64?, belowMinimum: String?) throws(DomainError) {
        if let rounding {
            product.rounding = try RoundingPolicy.parse(rounding, tolerance: tolerance)
        } else if tolerance != nil {
            throw .invalid("rounding_tolerance", "applies only to nearest")
        }
        if let belowMinimum {
            guard let rule = BelowMinimum(rawValue: belowMinimum) else { throw .invalid("below_minimum", "must be round_up or drop") }
            product.belowMinimum = rule
        }
    }
}
