import Testing
import TuanTesting
import TuanDomain
@testable import TuanForecast

/// The order policies against their closed forms (Chen et al. 2000; Disney & Towill 2003).
/// A long seeded i.i.d. series makes the sampling error of a variance ratio about 1%.
struct BullwhipTests {
    static func iidDemand(_ count: Int, seed: UInt64 = 7) -> [Double] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { _ in random.normal(mean: 100, deviation: 20) }
    }

    @Test(arguments: [(1, 1), (2, 4), (4, 4), (4, 12), (8, 12)])
    func classicOrderUpToMatchesChen(leadTime: Int, window: Int) async throws {
        let policy = OrderPolicy.classicOrderUpTo(leadTime: leadTime, window: window)
        let expected = 1 + 2 * Double(leadTime) / Double(window) + 2 * Double(leadTime * leadTime) / Double(window * window)
        #expect(policy.theoreticalBullwhip == expected)
        let measured = try #require(await offPool { Bullwhip.ratio(of: policy, on: Self.iidDemand(200_000), warmUp: 100) })
        #expect(abs(measured / expected - 1) < 0.02, "L=\(leadTime) p=\(window): \(measured) vs \(expected)")
    }

    @Test(arguments: [1.0, 1.618, 2, 4, 8])
    func proportionalOrderUpToMatchesDisneyTowill(smoothing: Double) async throws {
        let policy = OrderPolicy.proportionalOrderUpTo(leadTime: 2, window: nil, smoothing: smoothing)
        let expected = 1 / (2 * smoothing - 1)
        #expect(policy.theoreticalBullwhip == expected)
        let demand = Self.iidDemand(200_000, seed: 11)
        let orders = await offPool { policy.orders(for: demand, initialForecast: 100) }
        let measured = try #require(Bullwhip.ratio(orders: Array(orders.dropFirst(100)), demand: Array(demand.dropFirst(100))))
        #expect(abs(measured / expected - 1) < 0.02, "Ti=\(smoothing): \(measured) vs \(expected)")
    }

    @Test func recommendedPolicySmoothsWhereClassicAmplifies() throws {
        let demand = Self.iidDemand(50_000, seed: 3)
        let recommended = try #require(Bullwhip.ratio(of: .recommended, on: demand, warmUp: 52))
        let classic = try #require(Bullwhip.ratio(of: .classic, on: demand, warmUp: 52))
        #expect(recommended < 1)
        #expect(classic > 2)
    }

    @Test func ordersConserveDemandOverTheLongRun() {
        // Smoothing shifts orders in time but must not create or lose units: over a long
        // horizon total orders equal total demand up to the final inventory correction.
        let demand = Self.iidDemand(10_000, seed: 5)
        for policy in [OrderPolicy.recommended, .classic, .proportionalOrderUpTo(leadTime: 3, window: nil, smoothing: 4)] {
            let orders = policy.orders(for: demand, initialForecast: 100)
            let gap = abs(orders.reduce(0, +) - demand.reduce(0, +))
            #expect(gap < 0.01 * demand.reduce(0, +), "\(policy.name) drifted by \(gap)")
        }
    }

    @Test func flatDemandHasNoRatio() {
        #expect(Bullwhip.ratio(orders: [1, 2, 3], demand: [5, 5, 5]) == nil)
    }
}
