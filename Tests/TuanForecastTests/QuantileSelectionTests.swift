import Testing
import TuanDomain
@testable import TuanForecast

/// Quantiles by selection are the quantiles of the sorted values, bit for bit: projections use
/// them instead of sorting every sample (issue 24), and must not move a single figure.
@Suite struct QuantileSelectionTests {
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func selectionGivesTheSortedQuantiles(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        for count in [1, 2, 3, 10, 101, 4_000] {
            // Whole units with many ties, as projections draw; and spread values.
            let ties = (0..<count).map { _ in Double(Int.random(in: 0...20, using: &random)) }
            let spread = (0..<count).map { _ in Double.random(in: -1e6...1e6, using: &random) }
            let constant = [Double](repeating: 7, count: count)
            // Whole numbers too far apart to count: selected.
            let wide = (0..<count).map { _ in Double(Int.random(in: -1_000_000...1_000_000, using: &random)) }
            for values in [ties, spread, constant, wide, ties.sorted(), ties.sorted(by: >)] {
                let qs = [0.1, 0.5, 0.9, 0, 1, 0.25]
                let sorted = values.sorted()
                #expect(Summary.quantiles(unsorted: values, qs) == qs.map { Summary.quantile(sorted: sorted, $0) }, "\(count)")
            }
        }
        #expect(Summary.quantiles(unsorted: [], [0.5]) == [0])
    }
}
