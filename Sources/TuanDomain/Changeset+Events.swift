extension Changeset {
    /// Every event the change makes whose resource exists before it is applied: the explicit
    /// ones (campaign status changes, edits), and one for each pledge whose status changed, each
    /// team that filled or expired, each refund paid out. Events about rows the changeset
    /// inserts (the new pledge and team, purchase orders, refunds due) are recorded by the
    /// store as it inserts them, once they have ids: `pledgeCreated`, `teamOpened`,
    /// `purchaseOrderCreated`, `refundDue`.
    public var decidedEvents: [DomainEvent] {
        var all = events
        for pledge in pledges { all.append(.pledge(pledge)) }
        for pledge in reducedPledges { all.append(.pledge(.pledgeLinesRefunded, pledge)) }
        for team in teams {
            switch team.status {
            case .filled where team.memberCount == team.size: all.append(.team(.teamFilled, team))
            case .expired: all.append(.team(.teamExpired, team))
            default: break
            }
        }
        for edited in editedCampaigns { all.append(.campaign(.campaignEdited, edited)) }
        for refund in completedRefunds { all.append(.refund(.refundCompleted, refund)) }
        return all
    }
}
