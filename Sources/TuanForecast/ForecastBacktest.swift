/// Replays forecasts on finished campaigns: the older ones are history, the newer ones are
/// held out and forecast from their truncated curves at several points of their windows.
public struct ForecastBacktest: Sendable {
    public struct Checkpoint: Sendable {
        public var elapsed: Double
        public var campaigns: Int
        /// Share of held-out campaigns whose tip/fail outcome was called right (P(tip) ≥ 0.5).
        public var tippingAccuracy: Double
        /// Σ|final − P50| / Σ final.
        public var wape: Double
        /// Share of finals inside [P10, P90].
        public var coverage: Double
        /// Mean pinball loss over P10/P50/P90, in units.
        public var pinball: Double
        /// WAPE of the naive linear extrapolation committed / elapsed.
        public var linearWAPE: Double
    }

    public struct Row: Sendable {
        public var campaignID: Int64
        public var elapsed: Double
        public var final: Int64
        public var threshold: Int64
        public var projection: CampaignProjection
    }

    public var checkpoints: [Checkpoint]
    public var rows: [Row]
    public var historyCount: Int
    public var heldOut: [PledgeCurve]

    /// `curves` must be finished campaigns; the last `holdout` share by close time is held out.
    /// Each held-out campaign is forecast with a model fitted on its category's campaigns that
    /// closed before the held-out period, and sees only its own curve up to the checkpoint.
    public init(curves: [PledgeCurve], holdout: Double = 0.3, elapsed: [Double] = [0.1, 0.25, 0.5, 0.75],
                configuration: CampaignForecaster.Configuration = .backtest) {
        let ordered = curves.sorted { ($0.closesAt, $0.campaignID) < ($1.closesAt, $1.campaignID) }
        let split = Int(Double(ordered.count) * (1 - holdout))
        let history = Array(ordered[..<split])
        heldOut = Array(ordered[split...])
        historyCount = history.count
        var models: [String: CampaignForecaster] = [:]
        for category in Set(ordered.map(\.category)) {
            models[category] = CampaignForecaster(history: history.filter { $0.category == category },
                                                  configuration: configuration)
        }
        var rows = [Row]()
        var checkpoints = [Checkpoint]()
        for fraction in elapsed {
            var hits = 0, covered = 0
            var absoluteError = 0.0, linearError = 0.0, totalFinal = 0.0, pinball = 0.0
            for curve in heldOut {
                let model = models[curve.category]!
                let projection = model.project(curve, atElapsed: fraction)
                let final = Double(curve.finalQuantity)
                let tipped = curve.finalQuantity >= curve.threshold
                if (projection.tipProbability >= 0.5) == tipped { hits += 1 }
                if final >= projection.p10 && final <= projection.p90 { covered += 1 }
                absoluteError += abs(final - projection.p50)
                var linear = Double(projection.committed) / fraction
                if let cap = curve.cap { linear = min(linear, Double(cap)) }
                linearError += abs(final - linear)
                totalFinal += final
                for (q, value) in [(0.1, projection.p10), (0.5, projection.p50), (0.9, projection.p90)] {
                    pinball += final >= value ? (final - value) * q : (value - final) * (1 - q)
                }
                rows.append(Row(campaignID: curve.campaignID, elapsed: fraction, final: curve.finalQuantity,
                                threshold: curve.threshold, projection: projection))
            }
            let n = Double(max(1, heldOut.count))
            checkpoints.append(Checkpoint(elapsed: fraction, campaigns: heldOut.count, tippingAccuracy: Double(hits) / n,
                                          wape: absoluteError / max(1, totalFinal), coverage: Double(covered) / n,
                                          pinball: pinball / (3 * n), linearWAPE: linearError / max(1, totalFinal)))
        }
        self.rows = rows
        self.checkpoints = checkpoints
    }
}

extension CampaignForecaster.Configuration {
    /// Only the final quantity matters when scoring, so no chart path is drawn.
    public static var backtest: Self {
        var configuration = Self()
        configuration.pathPoints = 1
        return configuration
    }
}
