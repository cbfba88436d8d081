import Testing
import TuanDomain

/// Rounding policies (issue 23): what each orders for a demand that does not fill whole cases.
@Suite struct RoundingPolicyTests {
    func product(_ rounding: RoundingPolicy, casePack: Int64 = 12, moq: Int64 = 0, below: BelowMinimum = .roundUp) throws -> Product {
        var product = try Product(sku: "tea", supplierID: 1, name: "Tea", casePack: casePack, minimumOrderQuantity: moq,
                                  unitCost: Money(minor: 100, currency: .cny), capacity: nil)
        product.rounding = rounding
        product.belowMinimum = below
        return product
    }

    @Test func eachPolicyOrdersAsItSays() throws {
        let cases: [(RoundingPolicy, Int64, Int64, BelowMinimum, Int64, Int64)] = [
            // policy, demand, moq, below-MOQ rule, expected order, (case pack 12 unless noted by demand)
            (.up, 16, 0, .roundUp, 24, 12), (.up, 24, 0, .roundUp, 24, 12), (.up, 0, 0, .roundUp, 0, 12),
            (.down, 16, 0, .roundUp, 12, 12), (.down, 5, 0, .roundUp, 0, 12), (.down, 24, 0, .roundUp, 24, 12),
            (.nearest(tolerance: 4), 16, 0, .roundUp, 12, 12), (.nearest(tolerance: 4), 17, 0, .roundUp, 24, 12),
            (.nearest(tolerance: 0), 13, 0, .roundUp, 24, 12),
            // Below the MOQ: round up to it, or drop.
            (.up, 10, 24, .roundUp, 24, 12), (.up, 10, 24, .drop, 0, 12), (.down, 30, 24, .roundUp, 24, 12),
            // Rounding down would fall below the MOQ: the below-MOQ rule decides.
            (.down, 30, 36, .drop, 0, 12), (.down, 40, 36, .drop, 36, 12), (.nearest(tolerance: 6), 28, 24, .drop, 24, 12),
            (.down, 7, 0, .roundUp, 6, 3),
        ]
        for (policy, demand, moq, below, expected, casePack) in cases {
            let ordered = try product(policy, casePack: casePack, moq: moq, below: below).plannedOrder(forDemand: demand)
            #expect(ordered == expected, "\(policy) demand \(demand) moq \(moq) \(below): \(ordered)")
        }
    }

    /// Whatever the rule: a whole number of cases at or above the MOQ, or nothing; never more
    /// than rounding up; never less than confirmed when it rounds up.
    @Test func everyOrderIsWholeCasesAtTheMinimumOrNothing() throws {
        var random = SeededGenerator(seed: 5)
        for _ in 0..<5_000 {
            let casePack = Int64.random(in: 1...24, using: &random), moq = Int64.random(in: 0...60, using: &random)
            let policy: RoundingPolicy = [.up, .down, .nearest(tolerance: Int64.random(in: 0...casePack, using: &random))][Int.random(in: 0...2, using: &random)]
            let p = try product(policy, casePack: casePack, moq: moq, below: Bool.random(using: &random) ? .drop : .roundUp)
            let demand = Int64.random(in: 0...200, using: &random)
            let ordered = try p.plannedOrder(forDemand: demand)
            #expect(ordered == 0 || (ordered % casePack == 0 && ordered >= moq))
            #expect(ordered <= (try p.orderQuantity(forDemand: demand)))
            if ordered > demand { #expect(ordered == (try p.orderQuantity(forDemand: demand))) }
        }
    }

    @Test func aPolicyIsReadFromItsName() throws {
        #expect(try RoundingPolicy.parse("nearest", tolerance: 3) == .nearest(tolerance: 3))
        #expect(throws: DomainError.self) { try RoundingPolicy.parse("nearest", tolerance: nil) }
        #expect(throws: DomainError.self) { try RoundingPolicy.parse("down", tolerance: 2) }
        #expect(throws: DomainError.self) { try RoundingPolicy.parse("sideways", tolerance: nil) }
    }
}
