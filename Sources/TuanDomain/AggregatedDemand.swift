/// A succeeded campaign's confirmed pledges folded into one purchase-order line, with the
/// rounding to case pack and MOQ shown as its own figure and a breakdown per destination.
public struct AggregatedDemand: Hashable, Sendable {
    public struct Destination: Hashable, Sendable {
        public var pickupPoint: String?
        public var leaderCode: String?
        public var quantity: Int64
        public var pledgeCount: Int64

        public init(pickupPoint: String?, leaderCode: String?, quantity: Int64, pledgeCount: Int64) {
            self.pickupPoint = pickupPoint
            self.leaderCode = leaderCode
            self.quantity = quantity
            self.pledgeCount = pledgeCount
        }

        /// Folds orders into one destination per (pickup point, leader), each counting its
        /// units and orders, sorted by pickup point then leader: the breakdown suppliers pack by.
        public static func grouping(_ orders: [(pickupPoint: String?, leaderCode: String?, quantity: Int64)]) -> [Destination] {
            var byKey: [String: Destination] = [:]
            for order in orders {
                let key = "\(order.pickupPoint ?? "")\u{1F}\(order.leaderCode ?? "")"
                byKey[key, default: Destination(pickupPoint: order.pickupPoint, leaderCode: order.leaderCode, quantity: 0, pledgeCount: 0)]
                    .quantity += order.quantity
                byKey[key]!.pledgeCount += 1
            }
            return byKey.values.sorted { ($0.pickupPoint ?? "", $0.leaderCode ?? "") < ($1.pickupPoint ?? "", $1.leaderCode ?? "") }
        }

        /// `all` less `part` (both folded by pickup point and leader), dropping what is left empty.
        public static func subtracting(_ part: [Destination], from all: [Destination]) -> [Destination] {
            var byKey: [String: Destination] = [:]
            for destination in merging(all) { byKey["\(destination.pickupPoint ?? "")\u{1F}\(destination.leaderCode ?? "")"] = destination }
            for destination in merging(part) {
                let key = "\(destination.pickupPoint ?? "")\u{1F}\(destination.leaderCode ?? "")"
                byKey[key]?.quantity -= destination.quantity
                byKey[key]?.pledgeCount -= destination.pledgeCount
            }
            return merging(byKey.values.filter { $0.quantity > 0 })
        }

        /// Destinations summed elsewhere (per stored pickup point and leader), folded by the
        /// same key and order as `grouping`.
        public static func merging(_ parts: [Destination]) -> [Destination] {
            var byKey: [String: Destination] = [:]
            for part in parts {
                let key = "\(part.pickupPoint ?? "")\u{1F}\(part.leaderCode ?? "")"
                if var existing = byKey[key] {
                    existing.quantity += part.quantity
                    existing.pledgeCount += part.pledgeCount
                    byKey[key] = existing
                } else {
                    byKey[key] = part
                }
            }
            return byKey.values.sorted { ($0.pickupPoint ?? "", $0.leaderCode ?? "") < ($1.pickupPoint ?? "", $1.leaderCode ?? "") }
        }
    }

    public var campaignID: Int64
    public var sku: String
    /// The product's style, when it is a variant of one: the order shows each style's total.
    public var style: String?
    public var supplierID: Int64
    /// Sum of confirmed pledge quantities.
    public var confirmedQuantity: Int64
    /// What is ordered: at least the MOQ, in whole cases.
    public var orderQuantity: Int64
    /// Confirmed units served from stock instead of ordered.
    public var fromStock: Int64 = 0
    /// `orderQuantity + fromStock - confirmedQuantity`: stock bought beyond firm demand, never hidden.
    public var roundingSurplus: Int64 { orderQuantity + fromStock - confirmedQuantity }
    /// The tier price consumers pay.
    public var unitPrice: Money
    public var unitCost: Money
    /// `orderQuantity × unitCost`: what we owe the supplier.
    public var cost: Money
    public var destinations: [Destination]

    /// Over loaded pledges: the confirmed units of `product`'s item (every confirmed unit in a
    /// campaign of one implicit item).
    public init(campaign: Campaign, product: Product, pledges: [Pledge], orderQuantity: Int64? = nil) throws(DomainError) {
        let confirmed = pledges.filter { $0.campaignID == campaign.id && $0.status == .confirmed }
        let orders = confirmed.compactMap { pledge -> (String?, String?, Int64)? in
            let units = pledge.units(of: product.sku)
            return units > 0 ? (pledge.pickupPoint, pledge.leaderCode, units) : nil
        }
        try self.init(campaign: campaign, product: product, destinations: Destination.grouping(orders), orderQuantity: orderQuantity)
    }

    /// From the confirmed units already summed per destination (as the store sums a big
    /// campaign's pledges, without loading them).
    /// `orderQuantity`: what the product's rounding rule decided (`Product.plannedOrder`), when
    /// it was decided before the lines it cut were refunded; else the demand rounded up.
    public init(campaign: Campaign, product: Product, destinations: [Destination], orderQuantity: Int64? = nil) throws(DomainError) {
        var total: Int64 = 0
        for destination in destinations {
            let (sum, overflow) = total.addingReportingOverflow(destination.quantity)
            guard !overflow else { throw DomainError(.overflow, field: "quantity", "campaign \(campaign.id)'s units overflow") }
            total = sum
        }
        self.campaignID = campaign.id
        self.sku = product.sku
        self.style = product.style
        self.supplierID = product.supplierID
        self.confirmedQuantity = total
        let ordered = if let orderQuantity { orderQuantity } else { try product.orderQuantity(forDemand: total) }
        self.orderQuantity = ordered
        self.unitPrice = campaign.unitPrice(of: product.sku, at: campaign.finalUnitPrice
            ?? campaign.schedule.unitPrice(at: campaign.sellsItems ? campaign.pledgedQuantity : total))
        self.unitCost = product.unitCost
        self.cost = try product.unitCost.multiplied(by: ordered)
        self.destinations = Destination.merging(destinations)
    }
}

extension AggregatedDemand {
    /// What supplying it enters in the ledger: the stock it uses (now goods sold) and what is
    /// owed the supplier for the order.
    public func supplyEntries(product: Product) throws(DomainError) -> [JournalEntry] {
        var journal: [JournalEntry] = []
        if fromStock > 0, product.unitCost.minor > 0 {
            journal.append(try .stockUsed(campaignID: campaignID, cost: product.unitCost.multiplied(by: fromStock),
                                          memo: "\(fromStock) × \(product.sku) from stock"))
        }
        if !cost.isZero {
            journal.append(try .supplierPayable(campaignID: campaignID, cost: cost, memo: "\(orderQuantity) × \(product.sku) @ \(product.unitCost)"))
        }
        return journal
    }
}
