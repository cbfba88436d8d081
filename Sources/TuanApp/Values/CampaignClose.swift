import TuanDomain

/// What closing a campaign did: its final state, how many pledges were confirmed and refunded,
/// and on success the aggregated demand and the purchase order (with its id once saved).
/// Counts, not the pledges: a flash sale's close touches a million of them.
public struct CampaignClose: Sendable {
    public var campaign: Campaign
    public var pledgesConfirmed: Int64
    public var pledgesRefunded: Int64
    /// On success, one per item (the campaign's one, for one implicit item).
    public var demands: [AggregatedDemand]
    public var purchaseOrder: PurchaseOrder?
    /// For a supplier with a daily cut-off: when the campaign's pledges are ordered, with the
    /// rest of the supplier's day (no order yet).
    public var cutOffAt: Timestamp?
    public var waitsForCutOff: Bool { cutOffAt != nil }

    /// The first item's demand: the campaign's demand, for one implicit item.
    public var demand: AggregatedDemand? { demands.first }

    public init(campaign: Campaign, pledgesConfirmed: Int64, pledgesRefunded: Int64, demands: [AggregatedDemand],
                purchaseOrder: PurchaseOrder?, cutOffAt: Timestamp? = nil) {
        self.cutOffAt = cutOffAt
        self.campaign = campaign
        self.pledgesConfirmed = pledgesConfirmed
        self.pledgesRefunded = pledgesRefunded
        self.demands = demands
        self.purchaseOrder = purchaseOrder
    }
}
