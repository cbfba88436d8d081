import Foundation
import TuanDomain

/// How a style's units split over its items (sizes, colours), learned from finished campaigns
/// of the same style, for projecting each item of a campaign and not only its total.
///
/// Each campaign's mix is a draw from a Dirichlet around the style's pooled shares `m` with
/// concentration κ (the Dirichlet-multinomial): κ large, every campaign splits like the style;
/// κ small, mixes vary campaign to campaign (a colour in fashion this winter). κ is fitted by
/// moments on the history: for a campaign of n units, Var(X_k) = n m_k (1 − m_k)(1 + (n − 1)ρ)
/// with ρ = 1 / (κ + 1), so Σ_j Σ_k (X_jk − n_j m_k)² / m_k has expectation
/// (K − 1) Σ_j n_j (1 + (n_j − 1) ρ), which gives ρ.
///
/// A campaign seen with counts c updates to Dirichlet(κ m + c / d), d the pledge-size
/// dispersion (units come in pledges of several, so c / d is what the counts are worth as
/// independent draws). Each sample of the campaign's final total T then splits its remaining
/// T − C units by a mix drawn from that posterior, so every sample's items add up to its total:
/// the items' means add up to the total's mean, and their quantiles are honest per item.
public struct SizeMix: Sendable {
    public struct ItemProjection: Sendable, Hashable {
        public var key: String
        public var committed: Int64
        public var p10: Double
        public var p50: Double
        public var p90: Double
        public var mean: Double
        /// The share of the campaign's units this item is expected to take at close.
        public var share: Double
    }

    public let keys: [String]
    /// The style's pooled shares over `keys` (they add up to 1).
    public let shares: [Double]
    /// κ: how closely one campaign's mix follows the style's.
    public let concentration: Double
    public let historyCampaigns: Int

    /// `history`: per finished campaign, its final units per key (in `keys` order). Without
    /// history the prior is even and weak (κ = K: a campaign's own counts soon dominate).
    public init(keys: [String], history: [[Int64]]) {
        precondition(!keys.isEmpty && history.allSatisfy { $0.count == keys.count }, "one count per key in every campaign")
        self.keys = keys
        let k = keys.count
        let rows = history.filter { $0.reduce(0, +) > 0 }
        historyCampaigns = rows.count
        var totals = [Double](repeating: 0, count: k)
        for row in rows { for index in 0..<k { totals[index] += Double(row[index]) } }
        let all = totals.reduce(0, +)
        // Half a unit per key keeps an item never seen from a share of exactly zero.
        let smoothed = totals.map { $0 + 0.5 }
        let sum = smoothed.reduce(0, +)
        shares = all > 0 ? smoothed.map { $0 / sum } : [Double](repeating: 1 / Double(k), count: k)
        guard rows.count >= 2, k > 1 else { concentration = Double(k); return }
        var statistic = 0.0, units = 0.0, pairs = 0.0
        for row in rows {
            let n = Double(row.reduce(0, +))
            for index in 0..<k {
                let expected = n * shares[index]
                statistic += (Double(row[index]) - expected) * (Double(row[index]) - expected) / shares[index]
            }
            units += n
            pairs += n * (n - 1)
        }
        let rho = pairs > 0 ? (statistic / Double(k - 1) - units) / pairs : 1
        let bounded = min(0.99, max(1e-4, rho))
        concentration = 1 / bounded - 1
    }

    /// Each key's final units for a campaign that has `committed` units per key so far, given
    /// samples of its final total (`finals`, e.g. the campaign forecaster's). Deterministic:
    /// seeded by `seed`. `dispersion` is E[q²] / E[q] of pledge sizes (1: single units).
    public func project(committed: [Int64], finals: [Double], dispersion: Double = 1, seed: UInt64) -> [ItemProjection] {
        precondition(committed.count == keys.count, "one count per key")
        let k = keys.count
        let seen = committed.reduce(0, +)
        let d = max(1, dispersion)
        let alpha = (0..<k).map { concentration * shares[$0] + Double(committed[$0]) / d }
        var generator = SeededGenerator(seed: seed)
        let draws = finals.isEmpty ? [Double(seen)] : finals
        var samples = [[Double]](repeating: [Double](repeating: 0, count: draws.count), count: k)
        for (s, total) in draws.enumerated() {
            let remaining = max(0, total.rounded() - Double(seen))
            var mix = alpha.map { generator.gamma(shape: max($0, 1e-6), rate: 1) }
            let sum = mix.reduce(0, +)
            mix = mix.map { $0 / sum }
            let split = Self.multinomial(units: remaining, dispersion: d, mix: mix, generator: &generator)
            for index in 0..<k { samples[index][s] = Double(committed[index]) + split[index] }
        }
        let totalMean = Summary.mean(draws.map { max($0.rounded(), Double(seen)) })
        return (0..<k).map { index in
            let sorted = samples[index].sorted()
            let mean = Summary.mean(sorted)
            return ItemProjection(key: keys[index], committed: committed[index], p10: Summary.quantile(sorted: sorted, 0.1),
                                  p50: Summary.quantile(sorted: sorted, 0.5), p90: Summary.quantile(sorted: sorted, 0.9),
                                  mean: mean, share: totalMean > 0 ? mean / totalMean : shares[index])
        }
    }

    /// `units` split over `mix` in pledges of `dispersion` units: a multinomial of
    /// units / dispersion draws by sequential binomials, scaled back, the rounding settled so
    /// that the parts add up to `units` exactly.
    static func multinomial(units: Double, dispersion: Double, mix: [Double], generator: inout SeededGenerator) -> [Double] {
        var left = (units / dispersion).rounded()
        var rest = 1.0
        var parts = [Double](repeating: 0, count: mix.count)
        for index in mix.indices {
            guard left > 0 else { break }
            let p = index == mix.count - 1 ? 1 : min(1, max(0, mix[index] / max(rest, 1e-12)))
            let drawn = binomial(left, p, generator: &generator)
            parts[index] = drawn
            left -= drawn
            rest -= mix[index]
        }
        var scaled = parts.map { ($0 * dispersion).rounded(.down) }
        var gap = units - scaled.reduce(0, +)
        // Whole units the rounding left over go to the items in proportion to their mix, largest first.
        let order = mix.indices.sorted { mix[$0] > mix[$1] }
        var position = 0
        while gap >= 1, !order.isEmpty {
            scaled[order[position % order.count]] += 1
            gap -= 1
            position += 1
        }
        while gap <= -1, let index = scaled.indices.max(by: { scaled[$0] < scaled[$1] }) {
            scaled[index] -= 1
            gap += 1
        }
        return scaled
    }

    /// Binomial(n, p): a sum of Bernoullis for small n, a continuity-corrected normal clamped
    /// to 0…n when n p (1 − p) is large enough for it.
    static func binomial(_ n: Double, _ p: Double, generator: inout SeededGenerator) -> Double {
        guard n > 0, p > 0 else { return 0 }
        guard p < 1 else { return n }
        let variance = n * p * (1 - p)
        if variance > 25 {
            return min(n, max(0, (generator.normal(mean: n * p, deviation: variance.squareRoot()) + 0.5).rounded(.down)))
        }
        if n <= 200 {
            var count = 0.0
            for _ in 0..<Int(n) where generator.unit() < p { count += 1 }
            return count
        }
        // Many trials, a rare outcome: Poisson.
        return min(n, Double(generator.poisson(mean: n * p)))
    }
}
