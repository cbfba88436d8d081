/// A group purchase order: firm, aggregated demand sent to one supplier. A campaign that
/// succeeds produces one; each line is one SKU with its rounding surplus shown, never hidden,
/// and a breakdown per pickup point / group leader so the supplier can pack per destination.
public struct PurchaseOrder: Hashable, Sendable {
    public enum Status: String, Sendable, CaseIterable {
        /// Sent (or waiting to be sent); the supplier has not answered yet.
        case open
        case accepted
        case partiallyAccepted = "partially_accepted"
        case rejected
    }

    public struct Line: Hashable, Sendable {
        public var sku: String
        public var productName: String
        /// Units consumers committed to (confirmed pledges).
        public var confirmedQuantity: Int64
        /// Units ordered: confirmed quantity rounded up to case pack and MOQ.
        public var orderQuantity: Int64
        public var unitCost: Money
        /// What consumers pay per unit (the tier reached), for the supplier's reference.
        public var unitPrice: Money
        /// Set by the supplier's acknowledgement.
        public var acceptedQuantity: Int64?
        public var destinations: [AggregatedDemand.Destination]

        public var roundingSurplus: Int64 { orderQuantity - confirmedQuantity }
        public var cost: Money { Money(minor: unitCost.minor * orderQuantity, currency: unitCost.currency) }

        public init(sku: String, productName: String, confirmedQuantity: Int64, orderQuantity: Int64, unitCost: Money,
                    unitPrice: Money, acceptedQuantity: Int64? = nil, destinations: [AggregatedDemand.Destination]) {
            self.sku = sku
            self.productName = productName
            self.confirmedQuantity = confirmedQuantity
            self.orderQuantity = orderQuantity
            self.unitCost = unitCost
            self.unitPrice = unitPrice
            self.acceptedQuantity = acceptedQuantity
            self.destinations = destinations
        }
    }

    public var id: Int64
    public var supplierID: Int64
    /// The campaign whose close produced this order (nil for other sources, such as subscriptions).
    public var campaignID: Int64?
    /// For a subscription order: the delivery week it was cut off for.
    public var subscriptionWeek: Timestamp?
    public var currency: Currency
    public var lines: [Line]
    public var requestedDeliveryAt: Timestamp
    public var status: Status
    public var createdAt: Timestamp
    public var acknowledgement: PurchaseOrderAcknowledgement?
    public var acknowledgedAt: Timestamp?

    /// Human-facing order number, stable for the order's life: `PO-000042`.
    public var number: String {
        let digits = String(id)
        return "PO-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// Sum of line costs. Lines are built from checked money, so the sum stays in range.
    public var totalCost: Money {
        Money(minor: lines.reduce(0) { $0 + $1.cost.minor }, currency: currency)
    }

    public init(id: Int64, supplierID: Int64, campaignID: Int64?, currency: Currency, lines: [Line],
                requestedDeliveryAt: Timestamp, status: Status = .open, createdAt: Timestamp,
                acknowledgement: PurchaseOrderAcknowledgement? = nil, acknowledgedAt: Timestamp? = nil) {
        self.id = id
        self.supplierID = supplierID
        self.campaignID = campaignID
        self.currency = currency
        self.lines = lines
        self.requestedDeliveryAt = requestedDeliveryAt
        self.status = status
        self.createdAt = createdAt
        self.acknowledgement = acknowledgement
        self.acknowledgedAt = acknowledgedAt
    }

    /// Days between a campaign's close and the delivery date asked of the supplier, unless the
    /// caller says otherwise: two weeks is the usual make-to-order window for small batches.
    public static let defaultLeadDays: Int64 = 14

    /// The order for a succeeded campaign's aggregated demand (id 0 until stored).
    public init(demand: AggregatedDemand, productName: String, at now: Timestamp,
                requestedDeliveryAt: Timestamp? = nil) {
        let line = Line(sku: demand.sku, productName: productName, confirmedQuantity: demand.confirmedQuantity,
                        orderQuantity: demand.orderQuantity, unitCost: demand.unitCost, unitPrice: demand.unitPrice,
                        destinations: demand.destinations)
        self.init(id: 0, supplierID: demand.supplierID, campaignID: demand.campaignID, currency: demand.unitCost.currency,
                  lines: [line], requestedDeliveryAt: requestedDeliveryAt ?? now.adding(days: Self.defaultLeadDays),
                  createdAt: now)
    }
}
