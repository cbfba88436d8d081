/// A time zone as the rules need it: the offset from UTC at an instant. The service supplies
/// the system's IANA rules; `FixedOffsetZone` serves UTC and tests.
public protocol UTCOffsets: Sendable {
    /// An IANA name (Asia/Shanghai) or UTC.
    var identifier: String { get }
    /// Seconds east of UTC in effect at `utcSeconds`.
    func offset(at utcSeconds: Int64) -> Int64
}

public struct FixedOffsetZone: UTCOffsets, Hashable {
    public var identifier: String
    public var seconds: Int64

    public init(_ identifier: String, seconds: Int64) {
        precondition(abs(seconds) <= 18 * 3_600, "offsets are within ±18 h")
        self.identifier = identifier
        self.seconds = seconds
    }

    public static let utc = FixedOffsetZone("UTC", seconds: 0)

    public func offset(at utcSeconds: Int64) -> Int64 { seconds }
}

/// The weeks subscriptions deliver in: each starts on a Monday at 00:00 local time in the
/// deployment's zone (ISO 8601 weeks). In a zone with daylight saving a week is 167 or 169
/// hours long, so weeks are stepped by local dates, never by adding seven days of seconds.
public struct WeekGrid: Sendable, Hashable, CustomStringConvertible {
    public let zone: any UTCOffsets

    public init(zone: any UTCOffsets) { self.zone = zone }

    public static let utc = WeekGrid(zone: FixedOffsetZone.utc)

    public var identifier: String { zone.identifier }
    public var description: String { "weeks from Monday 00:00 \(identifier)" }

    public static func == (a: WeekGrid, b: WeekGrid) -> Bool { a.identifier == b.identifier }
    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }

    /// The instant `local` (seconds since the epoch on the local wall clock) happens. Around a
    /// jump forward, a local time that does not exist maps to the instant just after the jump.
    func utc(fromLocal local: Int64) -> Int64 {
        var guess = local - zone.offset(at: local)
        guess = local - zone.offset(at: guess)
        return guess
    }

    func local(_ instant: Int64) -> Int64 { instant + zone.offset(at: instant) }

    /// The start of the week holding `instant`.
    public func start(of instant: Timestamp) -> Timestamp {
        Timestamp(seconds: utc(fromLocal: Week.start(of: local(instant.seconds))))
    }

    public func isStart(_ instant: Timestamp) -> Bool { start(of: instant) == instant }

    /// The start of the week `count` weeks after the one starting `week` (negative: before).
    public func week(_ count: Int64, after week: Timestamp) -> Timestamp {
        let localStart = Week.start(of: local(week.seconds))
        return Timestamp(seconds: utc(fromLocal: localStart + count * Week.seconds))
    }

    public func next(after week: Timestamp) -> Timestamp { self.week(1, after: week) }

    /// Whole weeks from the week of `a` to the week of `b` (negative when `b` is earlier).
    public func weeks(from a: Timestamp, to b: Timestamp) -> Int64 {
        (Week.start(of: local(b.seconds)) - Week.start(of: local(a.seconds))) / Week.seconds
    }

    /// The same local Monday on `other`'s grid: a week start moved between zones keeps its date.
    public func moving(_ week: Timestamp, to other: WeekGrid) -> Timestamp {
        Timestamp(seconds: other.utc(fromLocal: Week.start(of: local(week.seconds))))
    }
}
