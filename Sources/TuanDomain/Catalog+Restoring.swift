extension Leader {
    /// A stored leader, restored without the checks it passed when registered.
    public init(restoringID id: Int64, code: String, name: String, pickupPoint: String, commissionBasisPoints: Int64, memberLimit: Int64) {
        self.id = id
        self.code = code
        self.name = name
        self.pickupPoint = pickupPoint
        self.commissionBasisPoints = commissionBasisPoints
        self.memberLimit = memberLimit
    }
}

extension Product {
    /// A stored product, restored without the checks it passed when added.
    public init(restoringSKU sku: String, supplierID: Int64, name: String, casePack: Int64, minimumOrderQuantity: Int64,
                unitCost: Money, capacity: Int64?, category: String, style: String? = nil, attributes: [ProductAttribute] = [],
                leadDays: Int64? = nil) {
        self.leadDays = leadDays
        self.style = style
        self.attributes = attributes
        self.sku = sku
        self.supplierID = supplierID
        self.name = name
        self.casePack = casePack
        self.minimumOrderQuantity = minimumOrderQuantity
        self.unitCost = unitCost
        self.capacity = capacity
        self.category = category
    }
}
