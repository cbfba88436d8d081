import TuanDomain

/// Which orders to list.
public struct PurchaseOrderFilter: Sendable {
    public var supplierID: Int64?
    public var status: PurchaseOrder.Status?
    public var deliveryState: DeliveryState?
    public var limit: Int

    public init(supplierID: Int64? = nil, status: PurchaseOrder.Status? = nil, deliveryState: DeliveryState? = nil, limit: Int = 500) {
        self.supplierID = supplierID
        self.status = status
        self.deliveryState = deliveryState
        self.limit = limit
    }
}
