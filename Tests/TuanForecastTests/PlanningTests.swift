import Testing
import TuanDomain
@testable import TuanForecast

struct PlanningTests {
    @Test func uShapedPriorIsMonotoneAndFrontAndBackLoaded() {
        let shape = ArrivalShape.uShapedPrior
        #expect(zip(shape.cumulative, shape.cumulative.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(shape.share(atElapsed: 0) == 0 && shape.share(atElapsed: 1) == 1)
        // A U: the first and last tenths each bring more than a middle tenth.
        let first = shape.share(atElapsed: 0.1), middle = shape.share(atElapsed: 0.55) - shape.share(atElapsed: 0.45)
        let last = 1 - shape.share(atElapsed: 0.9)
        #expect(first > 2 * middle && last > 2 * middle)
    }

    @Test func conversionRatesShrinkThinSegmentsTowardsTheOverallRate() {
        let direct = ConversionModel.Segment(band: .none, channel: .direct)
        let leader = ConversionModel.Segment(band: .high, channel: .leader)
        var outcomes = [ConversionModel.Outcome]()
        for i in 0..<1000 { outcomes.append(.init(segment: direct, units: 1, paid: i % 4 != 0)) }   // 75% paid
        outcomes.append(.init(segment: leader, units: 1, paid: true))
        let model = ConversionModel(outcomes: outcomes)
        #expect(abs(model.rate(direct) - 0.75) < 0.02)
        // One paid pledge does not make a segment certain.
        #expect(model.rate(leader) < 0.8)
        #expect(ConversionModel.DepositBand(depositPerUnitMinor: 0, unitPriceMinor: 1000) == .none)
        #expect(ConversionModel.DepositBand(depositPerUnitMinor: 99, unitPriceMinor: 1000) == .low)
        #expect(ConversionModel.DepositBand(depositPerUnitMinor: 100, unitPriceMinor: 1000) == .medium)
        #expect(ConversionModel.DepositBand(depositPerUnitMinor: 300, unitPriceMinor: 1000) == .high)
    }

    @Test func skuPlanSmoothsOrdersAndKeepsTheUnits() throws {
        var random = SeededGenerator(seed: 1)
        let baseline = (0..<12).map { _ in 100 + random.normal(deviation: 30) }
        let firm = (0..<26).map { _ in max(0, 100 + random.normal(deviation: 30)) }
        let projected = [Double](repeating: 0, count: 26)
        let plan = SKUPlan(sku: "x", weekStarts: (0..<26).map { Int64($0) * 604_800 }, firm: firm, projected: projected, baseline: baseline)
        #expect(plan.weeks.count == 26)
        #expect(plan.weeks.allSatisfy { $0.recommendedOrder >= 0 })
        let ratio = try #require(plan.orderVarianceRatio)
        #expect(ratio < 1)
        let ordered = plan.weeks.reduce(0) { $0 + Double($1.recommendedOrder) }
        #expect(abs(ordered - firm.reduce(0, +)) < 0.15 * firm.reduce(0, +))
    }

    @Test func pledgeCurveCountsCancellationsAndTruncates() {
        let curve = PledgeCurve(campaignID: 1, sku: "s", category: "c", opensAt: 1000, closesAt: 1100, threshold: 5, cap: nil,
                                changes: [.init(offset: 10, units: 3), .init(offset: 50, units: 2), .init(offset: 60, units: -3),
                                          .init(offset: 200, units: 9)])
        #expect(curve.finalQuantity == 2)   // the change after the close is not part of the window
        #expect(curve.quantity(atElapsed: 0.55) == 5)
        #expect(curve.truncated(atElapsed: 0.3).finalQuantity == 3)
        #expect(curve.unitsPerBucket(10) == [0, 3, 0, 0, 0, 2, -3, 0, 0, 0])
    }
}
