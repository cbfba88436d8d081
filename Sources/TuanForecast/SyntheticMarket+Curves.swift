extension SyntheticMarket {
    /// The pledge curves the store would record for these campaigns, without a store: pledges
    /// that would overrun the cap are turned away, and cancellations after the close (or of
    /// turned-away pledges) never happen.
    public func curves() -> [PledgeCurve] {
        campaigns.enumerated().map { index, campaign in
            let product = products[campaign.productIndex]
            var changes = [PledgeCurve.Change]()
            var events = [(offset: Int64, pledge: Int, cancel: Bool)]()
            for (p, pledge) in campaign.pledges.enumerated() {
                events.append((pledge.offset, p, false))
                if let cancel = pledge.cancelOffset { events.append((cancel, p, true)) }
            }
            events.sort { ($0.offset, $0.cancel ? 1 : 0) < ($1.offset, $1.cancel ? 1 : 0) }
            var accepted = Set<Int>()
            var total: Int64 = 0
            for event in events {
                let pledge = campaign.pledges[event.pledge]
                if event.cancel {
                    guard accepted.contains(event.pledge) else { continue }
                    total -= pledge.quantity
                    changes.append(.init(offset: event.offset, units: -pledge.quantity))
                } else {
                    if let cap = campaign.cap, total + pledge.quantity > cap { continue }
                    accepted.insert(event.pledge)
                    total += pledge.quantity
                    changes.append(.init(offset: event.offset, units: pledge.quantity))
                }
            }
            return PledgeCurve(campaignID: Int64(index + 1), sku: product.sku, category: product.category,
                               opensAt: campaign.opensAt, closesAt: campaign.closesAt, threshold: campaign.threshold,
                               cap: campaign.cap, changes: changes)
        }
    }
}
