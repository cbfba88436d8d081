import Testing
@testable import TuanDomain

@Suite struct PriceScheduleTests {
    func tier(_ q: Int64, _ p: Int64) -> PriceTier { PriceTier(minQuantity: q, unitPrice: Fixtures.money(p)) }

    @Test func priceIsTheTierReached() throws {
        let s = try PriceSchedule([tier(1, 1000), tier(10, 900), tier(20, 800)])
        #expect(s.unitPrice(at: 0).minor == 1000)
        #expect(s.unitPrice(at: 9).minor == 1000)
        #expect(s.unitPrice(at: 10).minor == 900)
        #expect(s.unitPrice(at: 25).minor == 800)
        #expect(s.nextTier(after: 4)?.unitsNeeded == 6)
        #expect(s.nextTier(after: 4)?.tier.unitPrice.minor == 900)
        #expect(s.nextTier(after: 20) == nil)
    }

    @Test func rejectsLaddersThatAreNotMonotonic() {
        #expect(throws: DomainError.self) { try PriceSchedule([]) }
        #expect(throws: DomainError.self) { try PriceSchedule([self.tier(1, 1000), self.tier(10, 1100)]) }
        #expect(throws: DomainError.self) { try PriceSchedule([self.tier(10, 1000), self.tier(10, 900)]) }
        #expect(throws: DomainError.self) { try PriceSchedule([self.tier(10, 1000), self.tier(5, 900)]) }
        #expect(throws: DomainError.self) { try PriceSchedule([self.tier(1, 0)]) }
    }

    /// Property: for any valid ladder, more units never cost more per unit.
    @Test func pricesNeverRiseWithQuantity() throws {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<300 {
            var tiers: [PriceTier] = []
            var q: Int64 = Int64.random(in: 0...5, using: &rng)
            var p: Int64 = Int64.random(in: 500...5000, using: &rng)
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                tiers.append(tier(q, p))
                q += Int64.random(in: 1...50, using: &rng)
                p -= Int64.random(in: 0...min(100, p - 1), using: &rng)
            }
            let schedule = try PriceSchedule(tiers)
            var last = Int64.max
            for quantity in 0...(q + 10) {
                let price = schedule.unitPrice(at: quantity).minor
                #expect(price <= last)
                last = price
            }
        }
    }
}
