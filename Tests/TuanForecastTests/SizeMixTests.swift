import Testing
import TuanDomain
@testable import TuanForecast

/// Size curves: the Dirichlet-multinomial fit and the per-item split of a campaign's projection.
@Suite struct SizeMixTests {
    static let mix = [0.1, 0.3, 0.35, 0.25]

    /// Campaigns of `units` each, their mix drawn around `mix` with concentration `kappa`.
    static func history(campaigns: Int, units: Int, kappa: Double, seed: UInt64) -> [[Int64]] {
        var random = SeededGenerator(seed: seed)
        return (0..<campaigns).map { _ in
            var shares = mix.map { random.gamma(shape: kappa * $0, rate: 1) }
            let sum = shares.reduce(0, +)
            shares = shares.map { $0 / sum }
            return SizeMix.multinomial(units: Double(units), dispersion: 1, mix: shares, generator: &random).map { Int64($0) }
        }
    }

    @Test func theFitRecoversTheStylesSharesAndHowMuchCampaignsVary() {
        for kappa in [8.0, 40.0, 200.0] {
            let fitted = SizeMix(keys: ["S", "M", "L", "XL"], history: Self.history(campaigns: 300, units: 400, kappa: kappa, seed: 7))
            for (share, truth) in zip(fitted.shares, Self.mix) { #expect(abs(share - truth) < 0.03, "κ \(kappa): \(fitted.shares)") }
            #expect(fitted.concentration > kappa / 2 && fitted.concentration < kappa * 2, "κ \(kappa): fitted \(fitted.concentration)")
        }
        let none = SizeMix(keys: ["a", "b"], history: [])
        #expect(none.shares == [0.5, 0.5] && none.concentration == 2 && none.historyCampaigns == 0)
    }

    @Test func everySampleSplitsItsWholeTotalSoTheItemsAddUpToTheTotal() {
        let fitted = SizeMix(keys: ["S", "M", "L", "XL"], history: Self.history(campaigns: 50, units: 300, kappa: 30, seed: 3))
        var random = SeededGenerator(seed: 9)
        let finals = (0..<2000).map { _ in Double(250 + random.poisson(mean: 80)) }
        let items = fitted.project(committed: [20, 60, 70, 50], finals: finals, dispersion: 1.4, seed: 5)
        #expect(abs(items.reduce(0) { $0 + $1.mean } - Summary.mean(finals)) < 1e-6)
        #expect(abs(items.reduce(0) { $0 + $1.share } - 1) < 1e-9)
        for (item, committed) in zip(items, [20, 60, 70, 50]) {
            #expect(Double(committed) <= item.p10 && item.p10 <= item.p50 && item.p50 <= item.p90, "\(item)")
        }
        // Nothing left to come: each item is what it holds.
        let closed = fitted.project(committed: [1, 2, 3, 4], finals: [10, 10], seed: 1)
        #expect(closed.map(\.p90) == [1, 2, 3, 4] && closed.map(\.p10) == [1, 2, 3, 4])
    }

    /// Half-way through campaigns drawn from the same style, the P10–P90 of each size holds its
    /// final about 80% of the time (the total known, so only the split is tested).
    @Test func theIntervalsPerItemCoverTheirFinalsAtAboutTheirLevel() {
        let fitted = SizeMix(keys: ["S", "M", "L", "XL"], history: Self.history(campaigns: 200, units: 200, kappa: 25, seed: 11))
        var covered = 0, total = 0
        for (index, campaign) in Self.history(campaigns: 200, units: 200, kappa: 25, seed: 12).enumerated() {
            // The first half of its units, in arrival order (a shuffle of its final counts).
            var random = SeededGenerator(seed: UInt64(index))
            var units = campaign.enumerated().flatMap { [Int](repeating: $0.offset, count: Int($0.element)) }
            units.shuffle(using: &random)
            var seen = [Int64](repeating: 0, count: 4)
            for unit in units.prefix(100) { seen[unit] += 1 }
            let items = fitted.project(committed: seen, finals: [Double](repeating: 200, count: 400), seed: UInt64(index))
            for (item, final) in zip(items, campaign) {
                total += 1
                if Double(final) >= item.p10 && Double(final) <= item.p90 { covered += 1 }
            }
        }
        let coverage = Double(covered) / Double(total)
        #expect(coverage > 0.7 && coverage < 0.92, "coverage \(coverage)")
    }
}
