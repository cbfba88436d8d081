import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    public func insertProduct(_ product: Product, at now: Timestamp) throws {
        try connection.run("""
            INSERT INTO products(sku, supplier_id, name, case_pack, minimum_order_quantity, unit_cost_minor, currency,
                                 capacity, category, created_at, style, attributes, lead_days, rounding, rounding_tolerance, below_minimum)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(product.sku), .integer(product.supplierID), .text(product.name), .integer(product.casePack),
                  .integer(product.minimumOrderQuantity), .integer(product.unitCost.minor), .text(product.unitCost.currency.code),
                  SQLiteValue(product.capacity), .text(product.category), .integer(now.seconds), SQLiteValue(product.style),
                  product.attributes.isEmpty ? .null : .text(product.attributesJSON.serialized), SQLiteValue(product.leadDays),
                  .text(product.rounding.name), SQLiteValue(product.rounding.tolerance), .text(product.belowMinimum.rawValue)])
    }

    public func product(sku: String) throws -> Product? {
        try connection.queryOne(Self.productColumns + " WHERE sku = ?", [.text(sku)], Self.product)
    }

    public func products() throws -> [Product] {
        try connection.query(Self.productColumns + " ORDER BY sku", [], Self.product)
    }

    public func products(style: String) throws -> [Product] {
        try connection.query(Self.productColumns + " WHERE style = ? ORDER BY sku", [.text(style)], Self.product)
    }

    static let productColumns = """
        SELECT sku, supplier_id, name, case_pack, minimum_order_quantity, unit_cost_minor, currency, capacity, category, style, attributes,
               lead_days, rounding, rounding_tolerance, below_minimum
        FROM products
        """

    static func product(_ row: Row) throws -> Product {
        var attributes: [ProductAttribute] = []
        if let text = row.optionalString(10) {
            guard case .object(let fields) = try JSONParser.parse(Array(text.utf8)) else {
                throw StoreInvariantError("product \(row.string(0)) has unreadable attributes")
            }
            attributes = fields.compactMap { if case .string(let value) = $0.value { ProductAttribute(restoringName: $0.key, value: value) } else { nil } }
        }
        var product = Product(restoringSKU: row.string(0), supplierID: row.int(1), name: row.string(2), casePack: row.int(3),
                       minimumOrderQuantity: row.int(4), unitCost: Money(minor: row.int(5), currency: Currency(restoring: row.string(6))),
                       capacity: row.optionalInt(7), category: row.string(8), style: row.optionalString(9), attributes: attributes,
                       leadDays: row.optionalInt(11))
        switch row.string(12) {
        case "nearest": product.rounding = .nearest(tolerance: row.optionalInt(13) ?? 0)
        case "down": product.rounding = .down
        default: product.rounding = .up
        }
        product.belowMinimum = BelowMinimum(rawValue: row.string(14)) ?? .roundUp
        return product
    }
}
