import TuanDomain

/// Suppliers and their products.
public protocol CatalogRepository {
    func insertSupplier(name: String, endpointURL: String?, webhookSecret: String, at now: Timestamp) throws -> Supplier
    func supplier(id: Int64) throws -> Supplier?
    func suppliers() throws -> [Supplier]
    func setSupplierEndpointDisabled(id: Int64, _ disabled: Bool) throws
    func insertProduct(_ product: Product, at now: Timestamp) throws
    func product(sku: String) throws -> Product?
    func products() throws -> [Product]
    /// The variants of one style, by SKU.
    func products(style: String) throws -> [Product]
}
