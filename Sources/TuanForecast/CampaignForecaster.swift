import Foundation
import TuanDomain

/// Projects an open campaign's final quantity from its pledges so far, learning from the
/// finished campaigns of its category:
///
/// - **arrival shape**: each finished campaign's cumulative share curve, shrunk towards the
///   category mean by how much of its spread is real rather than counting noise
///   (empirical Bayes), so analogs carry genuine shape variation and little sampling noise;
/// - **popularity prior**: final quantity over a reference, as a gamma distribution fitted by
///   moments. The reference is what the same SKU sold in earlier campaigns (scaled to this
///   window's length by an elasticity fitted on the category) when it has at least two, else
///   the threshold, which says how popular the organiser expects the campaign to be;
/// - **counting noise**: pledges are a compound Poisson stream; quantities are divided by the
///   pledge-size dispersion E[q²]/E[q] so the gamma–Poisson algebra applies to them.
///
/// With S sampled analogs, the popularity posterior given q units seen at share F is
/// Gamma(a + q/d, b + F) and the rest of the window brings d · Poisson(Λ (1 − F)) units.
/// The sample gives P10/P50/P90, the tipping probability and E[final · 1{tips}].
public struct CampaignForecaster: Sendable {
    public struct Configuration: Sendable {
        /// Only campaigns at least this large (in pledges) lend their shape as analogs.
        public var minimumAnalogPledges: Double = 15
        public var samples: Int = 4000
        public var pathPoints: Int = 12
        /// Prior when a category has no history: final / threshold with this mean and
        /// coefficient of variation (broad: the organiser's threshold is only a guess).
        public var priorRatioMean: Double = 1.0
        public var priorRatioCV: Double = 1.0
        /// Multiplies the popularity prior's variance and the counting noise of the pledges
        /// still to come. Fitted on the history itself when `calibrate` is set.
        public var spread: Double = 1.0
        /// Choose `spread` so that P10–P90 covers 80% on the newest part of the history.
        public var calibrate: Bool = true
        public init() {}
    }

    public var configuration: Configuration
    public private(set) var meanShape: ArrivalShape
    public private(set) var analogs: [ArrivalShape]
    /// The analogs' grid values end to end (`gridSize + 1` each), what the sampler reads.
    private var analogTable: [Double]
    /// Moments of final / reference across the category's history, for each kind of reference.
    public private(set) var thresholdRatio: RatioMoments
    public private(set) var skuRatio: RatioMoments
    /// Per SKU: Σ final / duration^elasticity and the number of campaigns, from history.
    public private(set) var skuRates: [String: (sum: Double, count: Int)]
    /// How final quantity grows with window length (final ∝ days^elasticity), fitted within SKUs.
    public private(set) var durationElasticity: Double

    public struct RatioMoments: Sendable {
        public var mean: Double
        public var variance: Double
    }
    /// E[q²] / E[q] of pledge sizes.
    public private(set) var dispersion: Double
    public private(set) var historyCount: Int
    /// Spread at each calibration point, when the history was large enough to calibrate.
    public private(set) var calibratedSpreads: [Double]?

    public var usesPrior: Bool { historyCount == 0 }

    /// Learns from finished campaigns (pass only curves whose window has closed).
    public init(history: [PledgeCurve], configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.historyCount = history.count

        var sizeSum = 0.0, sizeSquares = 0.0
        for curve in history {
            let moments = curve.pledgeSizeMoments
            sizeSum += moments.sum
            sizeSquares += moments.sumOfSquares
        }
        // Pseudo-observations of single-unit pledges keep a tiny history from running wild.
        dispersion = (sizeSquares + 20) / (sizeSum + 20)

        durationElasticity = Self.fitElasticity(history)
        let elasticity = durationElasticity
        var rates: [String: (sum: Double, count: Int)] = [:]
        for curve in history {
            rates[curve.sku, default: (0, 0)].sum += Double(curve.finalQuantity) / pow(Self.days(curve), elasticity)
            rates[curve.sku, default: (0, 0)].count += 1
        }
        skuRates = rates
        let fallback = RatioMoments(mean: configuration.priorRatioMean,
                                    variance: pow(configuration.priorRatioMean * configuration.priorRatioCV, 2))
        thresholdRatio = Self.moments(history.map { Double($0.finalQuantity) / Double(max(1, $0.threshold)) }) ?? fallback
        // Leave-one-out: each campaign against what the rest of its SKU's history predicts.
        skuRatio = Self.moments(history.compactMap { curve in
            guard let entry = rates[curve.sku], entry.count >= 3 else { return nil }
            let own = Double(curve.finalQuantity) / pow(Self.days(curve), elasticity)
            let reference = (entry.sum - own) / Double(entry.count - 1) * pow(Self.days(curve), elasticity)
            return reference > 0 ? Double(curve.finalQuantity) / reference : nil
        }) ?? thresholdRatio

        // Shapes: only campaigns that were not cut short by their cap, with enough pledges.
        let minimum = configuration.minimumAnalogPledges * dispersion
        let eligible = history.filter { !$0.reachedCap && Double($0.finalQuantity) >= minimum }
            .compactMap { curve in ArrivalShape(curve: curve).map { (curve, $0) } }
        let learnedMean = ArrivalShape.mean(eligible.map { ($0.1, 1.0) })
        // Blend with the prior as if the prior were five campaigns.
        let prior = ArrivalShape.uShapedPrior
        if let learnedMean {
            let weight = Double(eligible.count) / Double(eligible.count + 5)
            meanShape = prior.moved(towards: learnedMean, by: [Double](repeating: weight, count: ArrivalShape.gridSize + 1))
        } else {
            meanShape = prior
        }
        analogs = Self.shrunkAnalogs(eligible, mean: meanShape, dispersion: dispersion)
        analogTable = analogs.flatMap(\.cumulative)
        calibratedSpreads = configuration.calibrate ? Self.calibratedSpreads(history, configuration) : nil
    }

    static let spreadCandidates: [Double] = [1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4]
    static let calibrationPoints: [Double] = [0.1, 0.25, 0.5, 0.75]

    /// Fits on the older 70% of the history, forecasts the newer 30% at four points of their
    /// windows, and keeps for each point the spread whose P10–P90 coverage is closest to 80%.
    /// Shape variation, social proof and cancellations make arrivals burstier than pledge
    /// sizes alone say, and by different amounts early and late; this measures by how much
    /// instead of assuming.
    /// A category with a long history calibrates on its newest `calibrationTraining` and
    /// `calibrationValidation` campaigns: the spread is a property of how campaigns run now,
    /// and 150 forecasts at each point measure an 80% coverage to within a few points, while
    /// calibrating on all 5 000 of a year's campaigns took seconds per category. (Below those
    /// counts, which cover every category of the simulated markets, nothing changes.)
    static let calibrationTraining = 600, calibrationValidation = 150

    static func calibratedSpreads(_ history: [PledgeCurve], _ configuration: Configuration) -> [Double]? {
        guard history.count >= 40 else { return nil }
        let ordered = history.sorted { ($0.closesAt, $0.campaignID) < ($1.closesAt, $1.campaignID) }
        let split = ordered.count * 7 / 10
        var inner = configuration
        inner.calibrate = false
        inner.samples = 500
        inner.pathPoints = 1
        var model = CampaignForecaster(history: Array(ordered[max(0, split - calibrationTraining)..<split]), configuration: inner)
        let validation = Array(ordered[max(split, ordered.count - calibrationValidation)...])
        return calibrationPoints.map { elapsed in
            var best = (spread: configuration.spread, error: Double.infinity)
            for spread in spreadCandidates {
                model.configuration.spread = spread
                let covered = validation.filter { curve in
                    let projection = model.project(curve, atElapsed: elapsed)
                    let final = Double(curve.finalQuantity)
                    return final >= projection.p10 && final <= projection.p90
                }.count
                let error = abs(Double(covered) / Double(validation.count) - 0.8)
                if error < best.error - 1e-9 { best = (spread, error) }
            }
            return best.spread
        }
    }

    /// The spread at `elapsed`: calibrated points interpolated linearly, flat beyond the ends.
    func spread(atElapsed elapsed: Double) -> Double {
        guard let spreads = calibratedSpreads else { return configuration.spread }
        let points = Self.calibrationPoints
        if elapsed <= points[0] { return spreads[0] }
        for index in 1..<points.count where elapsed <= points[index] {
            let weight = (elapsed - points[index - 1]) / (points[index] - points[index - 1])
            return spreads[index - 1] + (spreads[index] - spreads[index - 1]) * weight
        }
        return spreads[points.count - 1]
    }

    /// Pulls each analog towards the mean by 1 − κ(t), where κ(t) is the share of the analogs'
    /// spread at t not explained by binomial counting noise F(1 − F) / n.
    private static func shrunkAnalogs(_ eligible: [(PledgeCurve, ArrivalShape)], mean: ArrivalShape,
                                      dispersion: Double) -> [ArrivalShape] {
        guard eligible.count >= 5 else { return [] }
        var keep = [Double](repeating: 0, count: ArrivalShape.gridSize + 1)
        for k in 1..<ArrivalShape.gridSize {
            let values = eligible.map { $0.1.cumulative[k] }
            let spread = Summary.variance(values)
            let noise = Summary.mean(eligible.map { curve, _ in
                let f = mean.cumulative[k]
                return f * (1 - f) / max(1, Double(curve.finalQuantity) / dispersion)
            })
            keep[k] = spread > 0 ? max(0, spread - noise) / spread : 0
        }
        return eligible.map { mean.moved(towards: $0.1, by: keep) }
    }

    static func days(_ curve: PledgeCurve) -> Double { max(1.0 / 24, Double(curve.duration) / 86_400) }

    static func moments(_ ratios: [Double]) -> RatioMoments? {
        guard ratios.count >= 3 else { return nil }
        return RatioMoments(mean: max(0.01, Summary.mean(ratios)),
                            variance: Summary.variance(ratios) * Double(ratios.count) / Double(ratios.count - 1))
    }

    /// Least-squares slope of log(final) on log(days) with each SKU's mean removed, so popular
    /// SKUs that happen to run long campaigns do not pass for an effect of length. Clamped to
    /// [0.3, 1]; 0.7 when the history cannot tell.
    static func fitElasticity(_ history: [PledgeCurve]) -> Double {
        let usable = history.filter { $0.finalQuantity > 0 }
        let bySKU = Dictionary(grouping: usable, by: \.sku)
        var sxy = 0.0, sxx = 0.0
        for (_, curves) in bySKU where curves.count >= 2 {
            let xs = curves.map { log(days($0)) }, ys = curves.map { log(Double($0.finalQuantity)) }
            let mx = Summary.mean(xs), my = Summary.mean(ys)
            for (x, y) in zip(xs, ys) {
                sxy += (x - mx) * (y - my)
                sxx += (x - mx) * (x - mx)
            }
        }
        guard sxx > 1 else { return 0.7 }
        return min(1, max(0.3, sxy / sxx))
    }

    /// Units per effective count: pledge-size dispersion times the calibrated spread, which
    /// stands for everything that makes arrivals burstier than independent pledges.
    func noise(atElapsed elapsed: Double) -> Double { dispersion * spread(atElapsed: elapsed) }

    /// Gamma prior on the final effective count Λ (quantity / noise) of this campaign.
    func popularityPrior(for curve: PledgeCurve, noise: Double) -> (shape: Double, rate: Double) {
        let reference: Double, ratio: RatioMoments
        if let entry = skuRates[curve.sku], entry.count >= 2, entry.sum > 0 {
            reference = entry.sum / Double(entry.count) * pow(Self.days(curve), durationElasticity)
            ratio = skuRatio
        } else {
            reference = Double(max(1, curve.threshold))
            ratio = thresholdRatio
        }
        let scale = reference / noise
        let mean = max(1e-3, ratio.mean * scale)
        // Var(final count) = Var(Λ) + E[Λ]: take the Poisson part out, keep a floor.
        let variance = max(ratio.variance * scale * scale - mean, mean * mean * 0.02, 1e-6)
        return (mean * mean / variance, mean / variance)
    }

    /// The projection for `curve` as seen at `elapsed` (0…1) of its window. Deterministic:
    /// the sample is seeded by the campaign and the moment.
    /// `seenThrough` (at or after `elapsed`): the pledges counted as committed, when a
    /// projection made as of `elapsed` should still count those placed since (a live
    /// campaign's projection is as of the minute, its pledges as of now).
    public func project(_ curve: PledgeCurve, atElapsed elapsed: Double, seenThrough: Double? = nil) -> CampaignProjection {
        projection(curve, atElapsed: elapsed, seenThrough: seenThrough, sortingFinals: false).projection
    }

    /// The projection and its sample of final quantities, sorted (what `SizeMix` splits per item).
    public func projectWithFinals(_ curve: PledgeCurve, atElapsed elapsed: Double,
                                  seenThrough: Double? = nil) -> (projection: CampaignProjection, finals: [Double]) {
        projection(curve, atElapsed: elapsed, seenThrough: seenThrough, sortingFinals: true)
    }

    /// Without `sortingFinals` the quantiles come from selection, not sorting (the same values:
    /// order statistics are order statistics), and the finals are returned as drawn. Sums over
    /// the sample are of whole units, exact in any order.
    private func projection(_ curve: PledgeCurve, atElapsed elapsed: Double, seenThrough: Double?,
                            sortingFinals: Bool) -> (projection: CampaignProjection, finals: [Double]) {
        let elapsed = max(0, min(1, elapsed))
        let seen = curve.truncated(atElapsed: max(elapsed, min(1, seenThrough ?? elapsed)))
        let committed = max(0, seen.finalQuantity)
        let noise = noise(atElapsed: elapsed)
        let prior = popularityPrior(for: curve, noise: noise)
        var generator = SeededGenerator(seed: UInt64(bitPattern: curve.campaignID) &* 0x9E37_79B9 &+ UInt64(elapsed * 1e6))
        let samples = max(100, configuration.samples)
        // The last point is always the close; the others chart the way there.
        let points = max(1, configuration.pathPoints)
        let pathFractions = (1...points).map { elapsed + (1 - elapsed) * Double($0) / Double(points) }
        let cap = curve.cap.map(Double.init) ?? .infinity
        let seenCount = Double(committed) / noise
        // Every sample reads its shape at the same points: where each falls on the grid is
        // worked out once (`ArrivalShape.share`'s own arithmetic, so the values are the same).
        let now = ArrivalShape.GridPoint(elapsed), along = pathFractions.map(ArrivalShape.GridPoint.init)
        let stride = ArrivalShape.gridSize + 1
        let table = analogs.isEmpty ? meanShape.cumulative : analogTable
        let shapes = analogs.isEmpty ? 1 : analogs.count
        // One row of `samples` draws per path point, in one buffer.
        var drawn = [Double](repeating: 0, count: samples * points)
        table.withUnsafeBufferPointer { table in
            drawn.withUnsafeMutableBufferPointer { drawn in
                for s in 0..<samples {
                    let base = analogs.isEmpty ? 0 : Int(generator.next() % UInt64(shapes)) * stride
                    let shareNow = min(max(now.share(table, base), 1e-4), 1)
                    let popularity = generator.gamma(shape: prior.shape + seenCount, rate: prior.rate + shareNow)
                    for index in 0..<points {
                        let more = max(0, along[index].share(table, base) - shareNow)
                        let units = Double(committed) + noise * Double(generator.poisson(mean: popularity * more))
                        drawn[index * samples + s] = min(cap, units.rounded())
                    }
                }
            }
        }
        let paths = (0..<points).map { Array(drawn[($0 * samples)..<(($0 + 1) * samples)]) }
        // The last path point is the close.
        let finals = sortingFinals ? paths[pathFractions.count - 1].sorted() : paths[pathFractions.count - 1]
        let threshold = Double(curve.threshold)
        let tipping = finals.filter { $0 >= threshold }
        func band(_ values: [Double], sorted: Bool) -> [Double] {
            sorted ? [0.1, 0.5, 0.9].map { Summary.quantile(sorted: values, $0) } : Summary.quantiles(unsorted: values, [0.1, 0.5, 0.9])
        }
        let path = pathFractions.enumerated().map { index, fraction in
            let quantiles = index == pathFractions.count - 1 ? band(finals, sorted: sortingFinals) : band(paths[index], sorted: false)
            return CampaignProjection.CurvePoint(elapsed: fraction, p10: quantiles[0], p50: quantiles[1], p90: quantiles[2])
        }
        let final = band(finals, sorted: sortingFinals)
        return (CampaignProjection(
            campaignID: curve.campaignID, elapsed: elapsed, committed: committed, threshold: curve.threshold, cap: curve.cap,
            p10: final[0], p50: final[1], p90: final[2], mean: Summary.mean(finals),
            tipProbability: Double(tipping.count) / Double(samples),
            expectedTippedQuantity: tipping.reduce(0, +) / Double(samples),
            path: path, historyCampaigns: historyCount, usedPrior: usesPrior), finals)
    }
}
