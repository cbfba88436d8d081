import TuanDomain
import TuanForecast
import TuanApp

/// Turns stored campaigns into what the forecast engine reads.
extension CampaignHistoryRecord {
    /// Every pledge adds its units when placed; a cancelled one takes them back when cancelled.
    var curve: PledgeCurve {
        var changes = [PledgeCurve.Change]()
        changes.reserveCapacity(pledges.count)
        for pledge in pledges {
            changes.append(.init(offset: pledge.createdAt - opensAt, units: pledge.units))
            if let cancelledAt = pledge.cancelledAt {
                changes.append(.init(offset: cancelledAt - opensAt, units: -pledge.units))
            }
        }
        return PledgeCurve(campaignID: id, sku: sku, category: category, opensAt: opensAt, closesAt: closesAt,
                           threshold: threshold, cap: cap, changes: changes)
    }

    func segment(of pledge: PledgeRecord) -> ConversionModel.Segment {
        ConversionModel.Segment(
            band: .init(depositPerUnitMinor: pledge.depositMinor / max(1, pledge.quantity), unitPriceMinor: unitPriceMinor),
            channel: pledge.viaLeader ? .leader : .direct)
    }

    /// Settled pledges of a succeeded campaign: paid or defaulted on the balance.
    var conversionOutcomes: [ConversionModel.Outcome] {
        guard status == .succeeded else { return [] }
        return pledges.compactMap { pledge in
            switch pledge.status {
            case .paid: ConversionModel.Outcome(segment: segment(of: pledge), units: pledge.units, paid: true)
            case .defaulted: ConversionModel.Outcome(segment: segment(of: pledge), units: pledge.units, paid: false)
            default: nil
            }
        }
    }

    /// Units still standing (placed, not cancelled or refunded).
    var standingPledges: [PledgeRecord] { pledges.filter { $0.status.countsTowardsCampaign } }
}
