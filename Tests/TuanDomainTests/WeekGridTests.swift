import Testing
@testable import TuanDomain

/// Weeks on a zone's Mondays: fixed offsets east and west of UTC, and a zone with daylight
/// saving whose weeks are 167 or 169 hours long.
@Suite struct WeekGridTests {
    static let shanghai = WeekGrid(zone: FixedOffsetZone("Asia/Shanghai", seconds: 8 * 3_600))
    static let newYorkWinter = WeekGrid(zone: FixedOffsetZone("EST", seconds: -5 * 3_600))

    /// Offsets +1 h before `change`, +2 h from it: a spring-forward at 01:00 UTC.
    struct Switching: UTCOffsets {
        var identifier = "Test/Spring"
        var change: Int64
        func offset(at utcSeconds: Int64) -> Int64 { utcSeconds < change ? 3_600 : 7_200 }
    }

    @Test func aShanghaiWeekStartsOnSundayAt1600UTC() throws {
        let wednesday = try #require(Timestamp(rfc3339: "2026-12-02T12:00:00Z"))
        #expect(Self.shanghai.start(of: wednesday) == Timestamp(rfc3339: "2026-11-29T16:00:00Z"))
        // Sunday 17:00 UTC is already Monday 01:00 in Shanghai: a new week.
        #expect(Self.shanghai.start(of: Timestamp(rfc3339: "2026-12-06T17:00:00Z")!) == Timestamp(rfc3339: "2026-12-06T16:00:00Z"))
        #expect(Self.shanghai.start(of: Timestamp(rfc3339: "2026-12-06T15:59:59Z")!) == Timestamp(rfc3339: "2026-11-29T16:00:00Z"))
        #expect(Self.newYorkWinter.start(of: wednesday) == Timestamp(rfc3339: "2026-11-30T05:00:00Z"))
        #expect(WeekGrid.utc.start(of: wednesday) == Week.start(of: wednesday))
    }

    @Test func weeksStepByLocalMondaysAcrossADaylightSavingChange() throws {
        let change = try #require(Timestamp(rfc3339: "2026-03-29T01:00:00Z")).seconds
        let grid = WeekGrid(zone: Switching(change: change))
        let before = try #require(Timestamp(rfc3339: "2026-03-22T23:00:00Z"))  // Monday 23 March 00:00 at +1
        #expect(grid.isStart(before))
        let after = grid.next(after: before)
        #expect(after == Timestamp(rfc3339: "2026-03-29T22:00:00Z"))  // Monday 30 March 00:00 at +2
        #expect(after.seconds - before.seconds == 167 * 3_600)
        #expect(grid.week(-1, after: after) == before && grid.weeks(from: before, to: after) == 1)
        #expect(grid.weeks(from: before, to: grid.week(10, after: before)) == 10)
    }

    @Test func movingAWeekKeepsItsDate() throws {
        let utcMonday = try #require(Timestamp(rfc3339: "2026-12-07T00:00:00Z"))
        let moved = WeekGrid.utc.moving(utcMonday, to: Self.shanghai)
        #expect(moved == Timestamp(rfc3339: "2026-12-06T16:00:00Z") && Self.shanghai.isStart(moved))
        #expect(Self.shanghai.moving(moved, to: .utc) == utcMonday)
        // In order and one week apart before, in order and one week apart after.
        let weeks = (0..<60).map { WeekGrid.utc.week($0, after: utcMonday) }.map { WeekGrid.utc.moving($0, to: Self.newYorkWinter) }
        #expect(zip(weeks, weeks.dropFirst()).allSatisfy { Self.newYorkWinter.next(after: $0.0) == $0.1 })
    }

    /// A subscription's cadence counts local weeks: every other Monday stays every other Monday.
    @Test func cadenceAndCutOffsFollowTheGrid() throws {
        let now = try #require(Timestamp(rfc3339: "2026-12-02T12:00:00Z"))
        let policy = SubscriptionPolicy.standard.on(Self.shanghai)
        #expect(policy.firstOpenWeek(at: now) == Timestamp(rfc3339: "2026-12-06T16:00:00Z"))
        #expect(policy.cutOff(ofWeek: policy.firstOpenWeek(at: now)) == Timestamp(rfc3339: "2026-12-04T16:00:00Z"))
        let request = try SubscriptionRequest(consumerID: "ann", sku: "tea", quantity: 1, cadenceWeeks: 2, start: nil, periods: nil,
                                              unitPrice: Money(minor: 100, currency: .cny), deposit: .zero(.cny), leaderCode: nil,
                                              pickupPoint: nil, policy: policy, at: now)
        let subscription = Subscription(id: 1, request: request, at: now)
        let weeks = subscription.deliveryWeeks(from: request.firstWeek, until: Self.shanghai.week(8, after: request.firstWeek),
                                               weeks: Self.shanghai)
        #expect(weeks == (0..<4).map { Self.shanghai.week(2 * $0, after: request.firstWeek) })
        #expect(!subscription.isOnCadence(Timestamp(rfc3339: "2026-12-07T00:00:00Z")!, weeks: Self.shanghai))
    }
}
