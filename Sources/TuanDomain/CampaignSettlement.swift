/// Everything that changes when a campaign closes, computed purely so that the store can
/// apply it in one transaction: the campaign's final state, each pledge's new state, the
/// ledger entries, and (on success) the aggregated demand for the purchase order.
public struct CampaignSettlement: Sendable {
    public var campaign: Campaign
    public var pledges: [Pledge]
    public var journal: [JournalEntry]
    public var demand: AggregatedDemand?
    /// The group purchase order for the supplier (on success with something to order). Its id
    /// is 0 until the store saves it.
    public var purchaseOrder: PurchaseOrder?

    public enum Reason: String, Sendable {
        /// The deadline passed or an admin closed it early.
        case closed
        /// An admin called the campaign off: everyone is refunded whatever the count.
        case cancelled
    }

    /// Settles `campaign` given all of its pledges. Succeeds when the threshold was reached,
    /// otherwise fails; either way no pledge is left in `pledged`.
    public static func settle(_ campaign: Campaign, pledges: [Pledge], product: Product, reason: Reason,
                              at now: Timestamp) throws(DomainError) -> CampaignSettlement {
        guard campaign.status.acceptsPledges || (reason == .cancelled && campaign.status == .draft) else {
            throw DomainError(.invalidTransition, "campaign \(campaign.id) is \(campaign.status.rawValue) and cannot be closed")
        }
        let live = pledges.filter { $0.status == .pledged }
        let succeeded = reason == .closed && campaign.isTipped
        var next = try campaign.transitioned(to: reason == .cancelled ? .cancelled : (succeeded ? .succeeded : .failed))
        next.closedAt = now
        var journal: [JournalEntry] = []
        var updated: [Pledge] = []

        guard succeeded else {
            for pledge in live {
                updated.append(try pledge.transitioned(to: .refunded, at: now))
                if !pledge.deposit.isZero { journal.append(try .depositRefunded(pledge)) }
            }
            return CampaignSettlement(campaign: next, pledges: updated, journal: journal, demand: nil, purchaseOrder: nil)
        }

        let finalPrice = campaign.schedule.unitPrice(at: campaign.pledgedQuantity)
        next.finalUnitPrice = finalPrice
        for pledge in live { updated.append(try pledge.transitioned(to: .confirmed, at: now)) }
        let demand = try AggregatedDemand(campaign: next, product: product, pledges: updated)
        if !demand.cost.isZero {
            journal.append(try .supplierPayable(campaignID: campaign.id, cost: demand.cost,
                                                memo: "\(demand.orderQuantity) × \(product.sku) @ \(product.unitCost)"))
        }
        let order = demand.orderQuantity > 0 ? PurchaseOrder(demand: demand, productName: product.name, at: now) : nil
        return CampaignSettlement(campaign: next, pledges: updated, journal: journal, demand: demand, purchaseOrder: order)
    }
}
