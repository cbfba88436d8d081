import TuanDomain

public protocol PurchaseOrderRepository {
    func purchaseOrder(id: Int64) throws -> PurchaseOrder?
    func purchaseOrder(campaignID: Int64) throws -> PurchaseOrder?
    func purchaseOrders(_ filter: PurchaseOrderFilter) throws -> [PurchaseOrder]
    func deliveryStatuses(of orders: [PurchaseOrder]) throws -> [Int64: DeliveryStatus]
    /// Stores a supplier's answer decided by `PurchaseOrder.acknowledging`: the order's status and
    /// lines, the refunded pledges and the ledger. Throws `RepositoryConflict.changedMeanwhile`
    /// if the order is no longer open.
    func saveAcknowledgement(_ outcome: AcknowledgementOutcome, previous: PurchaseOrder, at now: Timestamp) throws
    /// Stores a receipt decided by `PurchaseOrder.receiving`: what arrived per line, the
    /// refunded pledges and lines, the ledger and the stock. Throws
    /// `RepositoryConflict.changedMeanwhile` if the order was received meanwhile.
    func saveReceipt(_ outcome: ReceiptOutcome, previous: PurchaseOrder, at now: Timestamp) throws
    /// What leaders counted at their points for an order, earliest first.
    func pointReceipts(purchaseOrderID: Int64) throws -> [PointReceipt]
    /// Stores a point's receipt decided by `PurchaseOrder.receivingAtPoint`; throws
    /// `RepositoryConflict.changedMeanwhile` if the point or the order was received meanwhile.
    func savePointReceipt(_ outcome: PointReceiptOutcome, previous: PurchaseOrder, at now: Timestamp) throws
    /// Units in stock per SKU (over-deliveries), by SKU.
    func stockLevels() throws -> [(sku: String, quantity: Int64)]
    /// Units in stock of one SKU (0 when none).
    func stockLevel(sku: String) throws -> Int64
}
