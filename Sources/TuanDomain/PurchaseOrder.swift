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
        /// Units ordered: confirmed quantity rounded up to case pack and MOQ (at most
        /// `Bounds.campaignUnits`).
        public var orderQuantity: Int64
        public var unitCost: Money
        /// What consumers pay per unit (the tier reached), for the supplier's reference.
        public var unitPrice: Money
        /// Set by the supplier's acknowledgement (`accept`).
        public private(set) var acceptedQuantity: Int64?
        /// Set by the receipt (`receive`): what arrived.
        public private(set) var receivedQuantity: Int64?
        /// Confirmed units served from stock, not ordered (`orderQuantity` covers the rest).
        public var fromStock: Int64
        public var destinations: [AggregatedDemand.Destination]
        /// The style the SKU is a variant of, if any: the order totals each style.
        public var style: String?

        /// `unitCost × deliveredQuantity`: what is owed for the line (the payable, once answered;
        /// what arrived, once received).
        /// Computed with checked arithmetic whenever either changes, so a line whose cost does
        /// not fit cannot be built.
        public private(set) var cost: Money

        public var roundingSurplus: Int64 { orderQuantity + fromStock - confirmedQuantity }
        /// What will ship: the accepted quantity once the supplier has answered, until then the order.
        public var shippingQuantity: Int64 { acceptedQuantity ?? orderQuantity }
        /// What arrived once received, until then what will ship.
        public var deliveredQuantity: Int64 { receivedQuantity ?? shippingQuantity }

        public init(sku: String, productName: String, confirmedQuantity: Int64, orderQuantity: Int64, unitCost: Money,
                    unitPrice: Money, acceptedQuantity: Int64? = nil, destinations: [AggregatedDemand.Destination],
                    style: String? = nil, receivedQuantity: Int64? = nil, fromStock: Int64 = 0) throws(DomainError) {
            self.sku = sku
            self.productName = productName
            self.confirmedQuantity = confirmedQuantity
            self.orderQuantity = orderQuantity
            self.unitCost = unitCost
            self.unitPrice = unitPrice
            self.acceptedQuantity = acceptedQuantity
            self.destinations = destinations
            self.style = style
            self.receivedQuantity = receivedQuantity
            self.fromStock = fromStock
            self.cost = try unitCost.multiplied(by: receivedQuantity ?? acceptedQuantity ?? orderQuantity)
        }

        /// Records the supplier's accepted quantity and the cost that follows from it.
        public mutating func accept(_ quantity: Int64) throws(DomainError) {
            cost = try unitCost.multiplied(by: quantity)
            acceptedQuantity = quantity
        }

        /// Records what arrived and the cost that follows from it (the supplier is owed for
        /// what it delivered).
        public mutating func receive(_ quantity: Int64) throws(DomainError) {
            cost = try unitCost.multiplied(by: quantity)
            receivedQuantity = quantity
        }
    }

    public var id: Int64
    public var supplierID: Int64
    /// The campaign whose close produced this order (nil for other sources, such as subscriptions).
    public var campaignID: Int64?
    /// For a subscription order: the delivery week it was cut off for.
    public var subscriptionWeek: Timestamp?
    /// For a supplier's daily order (`OrderCycle.daily`): the cut-off that sent it, and the
    /// campaigns whose confirmed pledges it holds (with any subscription week of that day).
    public var cutOffAt: Timestamp?
    /// Its local delivery day (days since 1970-01-01 in the supplier's zone), with `cutOffAt`.
    public var deliveryDay: Int64?
    public var memberCampaignIDs: [Int64] = []
    /// What leaders counted at their points before the operator's receipt (`receivingAtPoint`).
    public var pointReceipts: [PointReceipt] = []

    /// The campaigns whose pledges a short answer or delivery shares out over.
    public var allocationCampaignIDs: Set<Int64> {
        if let campaignID { return [campaignID] }
        return Set(memberCampaignIDs)
    }
    public var currency: Currency
    /// Set through `replaceLines`, which keeps `totalCost` in step.
    public private(set) var lines: [Line]
    /// Sum of line costs, checked when the lines are set: an order of many lines at the
    /// largest bounds could leave Int64, and is then refused rather than built.
    public private(set) var totalCost: Money
    public var requestedDeliveryAt: Timestamp
    public var status: Status
    public var createdAt: Timestamp
    public var acknowledgement: PurchaseOrderAcknowledgement?
    public var acknowledgedAt: Timestamp?
    /// When its goods were received (`receiving`); nil until then.
    public var receivedAt: Timestamp?
    /// What the receiver noted (damage, a late truck).
    public var receiptNote: String?

    /// Human-facing order number, stable for the order's life: `PO-000042`.
    public var number: String {
        let digits = String(id)
        return "PO-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    public mutating func replaceLines(_ newLines: [Line]) throws(DomainError) {
        var total = Money.zero(currency)
        for line in newLines { total = try total.adding(line.cost) }
        lines = newLines
        totalCost = total
    }

    public init(id: Int64, supplierID: Int64, campaignID: Int64?, currency: Currency, lines: [Line],
                requestedDeliveryAt: Timestamp, status: Status = .open, createdAt: Timestamp,
                acknowledgement: PurchaseOrderAcknowledgement? = nil, acknowledgedAt: Timestamp? = nil) throws(DomainError) {
        self.id = id
        self.supplierID = supplierID
        self.campaignID = campaignID
        self.currency = currency
        self.lines = []
        self.totalCost = .zero(currency)
        self.requestedDeliveryAt = requestedDeliveryAt
        self.status = status
        self.createdAt = createdAt
        self.acknowledgement = acknowledgement
        self.acknowledgedAt = acknowledgedAt
        try replaceLines(lines)
    }

    /// Days between a campaign's close and the delivery date asked of the supplier, unless the
    /// caller says otherwise: two weeks is the usual make-to-order window for small batches.
    public static let defaultLeadDays: Int64 = 14

    /// The order for a succeeded campaign's aggregated demand (id 0 until stored).
    public init(demand: AggregatedDemand, productName: String, at now: Timestamp,
                requestedDeliveryAt: Timestamp? = nil) throws(DomainError) {
        try self.init(demands: [(demand, productName)], at: now, requestedDeliveryAt: requestedDeliveryAt)
    }

    /// One line per SKU, each rounded to its own case pack and MOQ, in the items' order; the
    /// demands come from one supplier (a campaign's items do). Lines with nothing to order are
    /// left out.
    public init(demands: [(demand: AggregatedDemand, productName: String)], at now: Timestamp,
                requestedDeliveryAt: Timestamp? = nil) throws(DomainError) {
        precondition(!demands.isEmpty && demands.allSatisfy { $0.demand.supplierID == demands[0].demand.supplierID },
                     "an order's demands come from one supplier")
        var lines: [Line] = []
        // A line stock serves whole orders nothing: the supplier does not see it.
        for (demand, productName) in demands where demand.orderQuantity > 0 {
            lines.append(try Line(sku: demand.sku, productName: productName, confirmedQuantity: demand.confirmedQuantity,
                                  orderQuantity: demand.orderQuantity, unitCost: demand.unitCost, unitPrice: demand.unitPrice,
                                  destinations: demand.destinations, style: demand.style, fromStock: demand.fromStock))
        }
        let first = demands[0].demand
        try self.init(id: 0, supplierID: first.supplierID, campaignID: first.campaignID, currency: first.unitCost.currency,
                      lines: lines, requestedDeliveryAt: requestedDeliveryAt ?? now.adding(days: Self.defaultLeadDays),
                      createdAt: now)
    }

    /// Per style among the lines (first seen first): units confirmed, ordered and shipping.
    public var styleTotals: [(style: String, confirmed: Int64, ordered: Int64, shipping: Int64)] {
        var totals: [(style: String, confirmed: Int64, ordered: Int64, shipping: Int64)] = []
        for line in lines {
            guard let style = line.style else { continue }
            if let index = totals.firstIndex(where: { $0.style == style }) {
                totals[index].confirmed += line.confirmedQuantity
                totals[index].ordered += line.orderQuantity
                totals[index].shipping += line.shippingQuantity
            } else {
                totals.append((style, line.confirmedQuantity, line.orderQuantity, line.shippingQuantity))
            }
        }
        return totals
    }
}
