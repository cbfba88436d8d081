import Foundation
import TuanDomain

/// An instant's wall-clock reading in a time zone (IANA rules from the system's tzdata).
struct LocalTime: Equatable {
    var year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64
    /// Seconds east of UTC at that instant.
    var offsetSeconds: Int

    init(_ instant: Timestamp, in zone: TimeZone) {
        offsetSeconds = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.seconds)))
        let local = instant.seconds + Int64(offsetSeconds)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let seconds = local - days * 86_400
        (year, month, day) = Timestamp.civilDate(fromDays: days)
        hour = seconds / 3_600
        minute = seconds % 3_600 / 60
    }

    /// "UTC+8", "UTC+5:30", "UTC".
    var offsetName: String {
        guard offsetSeconds != 0 else { return "UTC" }
        let sign = offsetSeconds > 0 ? "+" : "-", magnitude = abs(offsetSeconds)
        let minutes = magnitude % 3_600 / 60
        return "UTC\(sign)\(magnitude / 3_600)" + (minutes == 0 ? "" : ":" + String(minutes).leftPadded(to: 2))
    }
}
