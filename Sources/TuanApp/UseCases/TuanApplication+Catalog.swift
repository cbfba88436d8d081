import TuanDomain

extension TuanApplication {
    public func createSupplier(name: String, endpointURL: String?, webhookSecret: String, at now: Timestamp) -> UseCase<Supplier> {
        UseCase(self, .write) { try self.createSupplier(name: name, endpointURL: endpointURL, webhookSecret: webhookSecret, at: now, in: $0) }
    }

    func createSupplier(name: String, endpointURL: String?, webhookSecret: String, at now: Timestamp,
                        in repositories: any Repositories) throws -> Supplier {
        try Supplier.validate(name: name, endpointURL: endpointURL)
        return try repositories.insertSupplier(name: name, endpointURL: endpointURL, webhookSecret: webhookSecret, at: now)
    }

    /// Adds a product of a supplier that exists, under a SKU no product has.
    public func createProduct(_ product: Product, at now: Timestamp) -> UseCase<Product> {
        UseCase(self, .write) { try self.createProduct(product, at: now, in: $0) }
    }

    func createProduct(_ product: Product, at now: Timestamp, in repositories: any Repositories) throws -> Product {
        try product.checkNew(supplier: try repositories.supplier(id: product.supplierID), existing: try repositories.product(sku: product.sku))
        try repositories.insertProduct(product, at: now)
        return product
    }

    public func supplier(id: Int64) -> UseCase<Supplier> {
        UseCase(self, .read) { try $0.requireSupplier(id: id) }
    }

    public func suppliers() -> UseCase<[Supplier]> {
        UseCase(self, .read) { try $0.suppliers() }
    }

    public func product(sku: String) -> UseCase<Product> {
        UseCase(self, .read) { try $0.requireProduct(sku: sku) }
    }

    /// Every product by SKU, or the variants of one style.
    public func products(style: String? = nil) -> UseCase<[Product]> {
        UseCase(self, .read) { repositories in
            guard let style else { return try repositories.products() }
            try Product.checkStyle(style)
            return try repositories.products(style: style)
        }
    }
}
