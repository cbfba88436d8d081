import TuanDelivery
import TuanDomain
import TuanHTTP
import TuanApp

extension TuanAPI {
    func addCatalogRoutes(to router: inout Router<TuanContext>) {
        let app = self.app, clock = self.clock
        router.post("/v1/suppliers") { request, context in
            _ = try context.require(.admin)
            let body = try request.jsonObject(allowed: ["name", "endpoint_url", "webhook_secret"])
            let name = try body.string("name"), url = try body.optionalString("endpoint_url")
            let secret = try Self.webhookSecret(body, "webhook_secret")
            let now = clock()
            let supplier = try await app.createSupplier(name: name, endpointURL: url, webhookSecret: secret, at: now).run()
            // No Location header: suppliers have no route of their own to point it at.
            return .json(201, supplier.json(includeSecret: true))
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
