/// One item of a pledge in a campaign that sells several: the SKU, how many, and the price
/// difference per unit fixed when it was placed. A short supplier answer refunds a line as a
/// whole (`refunded`); the rest of the pledge stands.
public struct PledgeLine: Hashable, Sendable {
    public enum Status: String, Sendable, CaseIterable {
        case active, refunded
    }

    /// What a consumer asks for: an item of the campaign and a quantity.
    public struct Request: Hashable, Sendable {
        public var sku: String
        public var quantity: Int64

        public init(sku: String, quantity: Int64) {
            self.sku = sku
            self.quantity = quantity
        }
    }

    public var sku: String
    public var quantity: Int64
    /// Minor units added to the tier price per unit (the item's `priceDelta` at placing).
    public var priceDeltaMinor: Int64
    public var status: Status
    /// When it was refunded, with the part of the pledge's commission reversed with it (lines
    /// refunded while the rest stands): the pledge's stored commission stays the one fixed at
    /// confirmation, so its events restore it as it was at each instant (`Pledge.asOf`).
    public var refundedAt: Timestamp?
    public var commissionReversedMinor: Int64

    public init(sku: String, quantity: Int64, priceDeltaMinor: Int64, status: Status = .active, refundedAt: Timestamp? = nil,
                commissionReversedMinor: Int64 = 0) {
        self.sku = sku
        self.quantity = quantity
        self.priceDeltaMinor = priceDeltaMinor
        self.status = status
        self.refundedAt = refundedAt
        self.commissionReversedMinor = commissionReversedMinor
    }

    /// `quantity × priceDeltaMinor`; within bounds (a pledge's units × a unit amount) by construction.
    public var deltaMinor: Int64 { quantity * priceDeltaMinor }
}

extension Bounds {
    /// Largest number of items one campaign sells, and of lines one pledge holds.
    public static let campaignItems = 64
}
