/// Per-item projections of held-out campaigns of items, scored against what each item ended
/// at: ours (the total's projection split by the style's Dirichlet-multinomial size curve,
/// updated by the campaign's own pledges) against naive shares (the style's overall mix
/// applied to the same total projection, blind to the campaign's own split).
public struct SizeMixBacktest: Sendable {
    /// A finished campaign of items: its total curve and one curve per item (`sku` = the item's).
    public struct Campaign: Sendable {
        public var total: PledgeCurve
        public var style: String
        public var items: [PledgeCurve]

        public init(total: PledgeCurve, style: String, items: [PledgeCurve]) {
            self.total = total
            self.style = style
            self.items = items
        }
    }

    public struct Row: Sendable {
        public var campaignID: Int64
        public var sku: String
        public var elapsed: Double
        public var final: Int64
        public var committed: Int64
        public var ours: (p10: Double, p50: Double, p90: Double)
        public var naive: (p10: Double, p50: Double, p90: Double)
    }

    public struct Checkpoint: Sendable {
        public var elapsed: Double
        public var items: Int
        public var wape: Double
        public var coverage: Double
        public var naiveWAPE: Double
        public var naiveCoverage: Double
    }

    public var rows: [Row] = []
    public var checkpoints: [Checkpoint] = []
    public var historyCount: Int
    public var heldOut: [Campaign]

    /// The newest `holdout` share by close is held out; the forecaster and each style's mix
    /// are fitted on the campaigns that closed before.
    public init(campaigns: [Campaign], holdout: Double = 0.3, elapsed: [Double] = [0.25, 0.5, 0.75],
                configuration: CampaignForecaster.Configuration = .backtest) {
        let ordered = campaigns.sorted { ($0.total.closesAt, $0.total.campaignID) < ($1.total.closesAt, $1.total.campaignID) }
        let split = Int(Double(ordered.count) * (1 - holdout))
        let history = Array(ordered[..<split])
        heldOut = Array(ordered[split...])
        historyCount = history.count
        let forecaster = CampaignForecaster(history: history.map(\.total), configuration: configuration)
        var mixes: [String: SizeMix] = [:]
        for campaign in heldOut where mixes[campaign.style] == nil {
            let keys = campaign.items.map(\.sku)
            let rows = history.filter { $0.style == campaign.style }.map { past in
                keys.map { key in past.items.first { $0.sku == key }?.finalQuantity ?? 0 }
            }
            mixes[campaign.style] = SizeMix(keys: keys, history: rows)
        }
        for fraction in elapsed {
            var error = 0.0, naiveError = 0.0, total = 0.0, covered = 0, naiveCovered = 0, count = 0
            for campaign in heldOut {
                let mix = mixes[campaign.style]!
                let (projection, finals) = forecaster.projectWithFinals(campaign.total, atElapsed: fraction)
                let committed = campaign.items.map { $0.quantity(atElapsed: fraction) }
                let seed = UInt64(bitPattern: campaign.total.campaignID) &+ UInt64(fraction * 1000)
                let ours = mix.project(committed: committed, finals: finals, dispersion: forecaster.dispersion, seed: seed)
                for (index, item) in campaign.items.enumerated() {
                    let final = Double(item.finalQuantity), share = mix.shares[index]
                    let naive = (p10: projection.p10 * share, p50: projection.p50 * share, p90: projection.p90 * share)
                    let mine = (p10: ours[index].p10, p50: ours[index].p50, p90: ours[index].p90)
                    error += abs(final - mine.p50)
                    naiveError += abs(final - naive.p50)
                    total += final
                    if final >= mine.p10 && final <= mine.p90 { covered += 1 }
                    if final >= naive.p10 && final <= naive.p90 { naiveCovered += 1 }
                    count += 1
                    rows.append(Row(campaignID: campaign.total.campaignID, sku: item.sku, elapsed: fraction, final: item.finalQuantity,
                                    committed: committed[index], ours: mine, naive: naive))
                }
            }
            let n = Double(max(1, count))
            checkpoints.append(Checkpoint(elapsed: fraction, items: count, wape: error / max(1, total), coverage: Double(covered) / n,
                                          naiveWAPE: naiveError / max(1, total), naiveCoverage: Double(naiveCovered) / n))
        }
    }
}
