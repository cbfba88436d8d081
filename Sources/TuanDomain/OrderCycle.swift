/// When a supplier's orders go out. `immediate` (the default, and how Tuan always worked): each
/// close sends its own order at once. `daily`: everything confirmed for the supplier before the
/// day's cut-off (campaign closes and subscription weeks alike) waits, and at the cut-off goes
/// out as one purchase order per delivery day, as co-op tools and 社区团购 operators order
/// ("order today, collect tomorrow": close by 23:00, cut-off 23:30, delivery next afternoon).
///
/// The time zone is a fixed offset from UTC, not a zone name: the day a cut-off falls on must
/// be computable in the pure domain, without a time-zone database, and the markets this is
/// for (China, UTC+8) keep no daylight saving. An operator in a zone that does sets the offset
/// when the clocks change.
public enum OrderCycle: Hashable, Sendable {
    case immediate
    /// Cut off daily at `minuteOfDay` (0...1439) local time, local being UTC + `utcOffsetMinutes`.
    case daily(minuteOfDay: Int64, utcOffsetMinutes: Int64)

    /// UTC−14:00 to UTC+14:00, the range real zones span.
    public static let offsetRange: ClosedRange<Int64> = -840...840

    /// China's: UTC+8, the default for a daily cycle given without an offset.
    public static let defaultOffsetMinutes: Int64 = 480

    public init(minuteOfDay: Int64?, utcOffsetMinutes: Int64) throws(DomainError) {
        guard OrderCycle.offsetRange.contains(utcOffsetMinutes) else {
            throw .invalid("utc_offset_minutes", "must be between -840 and 840 (UTC−14:00 to UTC+14:00)")
        }
        guard let minuteOfDay else { self = .immediate; return }
        guard (0...1439).contains(minuteOfDay) else { throw .invalid("order_cut_off", "must be a time of day, 00:00 to 23:59") }
        self = .daily(minuteOfDay: minuteOfDay, utcOffsetMinutes: utcOffsetMinutes)
    }

    /// "23:30" as the cut-off's minute of the day; nil for anything else (a caller maps "immediate").
    public static func minuteOfDay(parsing text: String) -> Int64? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hour = Int64(parts[0]), let minute = Int64(parts[1]), (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return hour * 60 + minute
    }

    /// "23:30" for a daily cycle, "immediate" otherwise.
    public var cutOffText: String {
        guard case .daily(let minute, _) = self else { return "immediate" }
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(minute / 60)):\(two(minute % 60))"
    }

    public var utcOffsetMinutes: Int64 {
        if case .daily(_, let offset) = self { return offset }
        return OrderCycle.defaultOffsetMinutes
    }

    public var minuteOfDay: Int64? {
        if case .daily(let minute, _) = self { return minute }
        return nil
    }

    /// The first cut-off after `instant` (a close exactly at a cut-off is late for it: it goes
    /// to the next one, so a cut-off's members are exactly those closed before it); nil for
    /// `immediate`.
    public func nextCutOff(after instant: Timestamp) -> Timestamp? {
        guard case .daily(let minute, let offset) = self else { return nil }
        let local = instant.seconds + offset * 60
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        var cutOff = day * 86_400 + minute * 60 - offset * 60
        if cutOff <= instant.seconds { cutOff += 86_400 }
        return Timestamp(seconds: cutOff)
    }

    /// The cut-off a delivery at `deliveryAt` waits for when it is firm long before (a
    /// subscription week): the last one before its delivery day begins, so that it goes out
    /// with the campaigns closing that evening; the next one when that is already past.
    public func cutOff(forDeliveryAt deliveryAt: Timestamp, after now: Timestamp) -> Timestamp? {
        guard case .daily(let minute, let offset) = self, let next = nextCutOff(after: now) else { return nil }
        let lastBefore = Timestamp(seconds: (day(of: deliveryAt) - 1) * 86_400 + minute * 60 - offset * 60)
        return max(lastBefore, next)
    }

    /// The local calendar day an instant falls on, as days since 1970-01-01: orders are one
    /// per supplier and delivery day.
    public func day(of instant: Timestamp) -> Int64 {
        let local = instant.seconds + utcOffsetMinutes * 60
        return local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    }
}
