import TuanDelivery
import TuanDomain
import TuanApp

enum CatalogCommands {
    static var all: [CommandSpec] { [migrate, supplierAdd, supplierList, supplierCycle, productAdd, productList] }

    static let supplierCycle = CommandSpec(
        path: ["supplier", "cycle"], summary: "set when a supplier's orders go out: at each close, or once a day at a cut-off",
        positionals: ["id"],
        options: [.value("cut-off", "HH:MM|immediate", "daily cut-off, local time (immediate: an order at each close)", required: true),
                  .value("utc-offset", "MINUTES", "local time's offset from UTC in minutes (default 480, UTC+8)")]
    ) { args, ctx in
        let id = try args.positionalID(0, name: "id")
        let cycle = try TuanAPI.orderCycle(cutOff: args.string("cut-off"), offset: try args.int("utc-offset"))
        let supplier = try ctx.app().setOrderCycle(supplierID: id, cycle).runBlocking()
        let offset = cycle.utcOffsetMinutes, sign = offset >= 0 ? "+" : "-", minutes = abs(offset) % 60
        let zone = "UTC\(sign)\(abs(offset) / 60)" + (minutes == 0 ? "" : ":\(minutes < 10 ? "0" : "")\(minutes)")
        return CommandOutput(text: "supplier \(supplier.id) \(supplier.name): orders \(cycle == .immediate ? "at each close" : "daily at \(cycle.cutOffText) \(zone)")",
                             json: supplier.json())
    }

    static let migrate = CommandSpec(path: ["migrate"], summary: "create or upgrade the database schema") { _, ctx in
        let version = try ctx.app().schemaVersion().runBlocking()
        return CommandOutput(text: "database \(ctx.path) is at schema version \(version)",
                             json: ["path": .string(ctx.path), "schema_version": JSONValue(version)])
    }

    static let supplierAdd = CommandSpec(
        path: ["supplier", "add"], summary: "register a supplier (prints its webhook secret once)",
        options: [.value("name", "NAME", "supplier name", required: true),
                  .value("endpoint-url", "URL", "where purchase orders are pushed"),
                  .value("secret", "whsec_…", "webhook signing secret (default: generated)")]
    ) { args, ctx in
        let secret = try args.value("secret").map { secret throws(DomainError) -> String in
            try WebhookSecret.validate(secret)
            return secret
        } ?? WebhookSecret.generate()
        let name = try args.string("name"), url = args.value("endpoint-url"), now = ctx.now
        let supplier = try ctx.app().createSupplier(name: name, endpointURL: url, webhookSecret: secret, at: now).runBlocking()
        return CommandOutput(text: "supplier \(supplier.id) \(supplier.name)\nwebhook secret: \(secret)",
                             json: supplier.json(includeSecret: true))
    }

    static let supplierList = CommandSpec(path: ["supplier", "list"], summary: "list suppliers") { _, ctx in
        let suppliers = try ctx.app().suppliers().runBlocking()
        return CommandOutput(
            text: suppliers.map { "\($0.id)\t\($0.name)\t\($0.endpointURL ?? "-")\($0.endpointDisabled ? " (disabled)" : "")" }
                .joined(separator: "\n"),
            json: .array(suppliers.map { $0.json() }))
    }

    static let productAdd = CommandSpec(
        path: ["product", "add"], summary: "add a product a supplier makes",
        options: [.value("sku", "SKU", "stock keeping unit", required: true),
                  .value("supplier", "ID", "supplier id", required: true),
                  .value("name", "NAME", "product name", required: true),
                  .value("unit-cost", "AMOUNT", "what one unit costs us, e.g. 4.20", required: true),
                  .value("currency", "CODE", "ISO 4217 currency (default CNY)"),
                  .value("case-pack", "N", "units per case (default 1)"),
                  .value("moq", "N", "supplier's minimum order quantity (default 0)"),
                  .value("capacity", "N", "most units the supplier can make per campaign"),
                  .value("category", "NAME", "category used by forecasts (default general)"),
                  .value("style", "NAME", "the style this SKU is a variant of, e.g. down-jacket-2026"),
                  .value("attribute", "NAME=VALUE", "what tells it from the style's other variants, e.g. size=XL", repeatable: true),
                  .value("lead-days", "N", "days from an order to its delivery, 1 for next day (default 14)"),
                  .value("rounding", "POLICY", "up (default), nearest (with --tolerance) or down: how units that do not fill a case are ordered"),
                  .value("tolerance", "N", "with --rounding nearest: round down when at most N units do not fill a case"),
                  .value("below-minimum", "RULE", "round_up (default) or drop: an order below the MOQ")]
    ) { args, ctx in
        let currency = try Currency(args.value("currency") ?? "CNY")
        var product = try Product(
            sku: args.string("sku"), supplierID: args.requiredInt("supplier"), name: args.string("name"),
            casePack: args.int("case-pack") ?? 1, minimumOrderQuantity: args.int("moq") ?? 0,
            unitCost: Money.parse(args.string("unit-cost"), currency: currency, field: "unit-cost"),
            capacity: args.int("capacity"), category: args.value("category") ?? "general", style: args.value("style"),
            attributes: args.all("attribute").map { text throws(DomainError) -> ProductAttribute in
                let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw .invalid("attribute", "must look like NAME=VALUE, e.g. size=XL, got \"\(text)\"") }
                return try ProductAttribute(name: parts[0], value: parts[1])
            }, leadDays: args.int("lead-days"))
        try TuanAPI.roundingRules(&product, rounding: args.value("rounding"), tolerance: args.int("tolerance"),
                                  belowMinimum: args.value("below-minimum"))
        let now = ctx.now
        try ctx.app().createProduct(product, at: now).runBlocking()
        return CommandOutput(text: "product \(product.sku) \(product.name), \(product.unitCost) per unit, case of \(product.casePack)",
                             json: product.json)
    }

    static let productList = CommandSpec(path: ["product", "list"], summary: "list products") { _, ctx in
        let products = try ctx.app().products().runBlocking()
        return CommandOutput(
            text: products.map { "\($0.sku)\tsupplier \($0.supplierID)\t\($0.name)\t\($0.unitCost)\tcase \($0.casePack)\tmoq \($0.minimumOrderQuantity)" }
                .joined(separator: "\n"),
            json: .array(products.map(\.json)))
    }
}
