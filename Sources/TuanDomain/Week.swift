/// Weeks start on Monday 00:00 UTC (ISO 8601). Subscriptions deliver per week and the planner
/// plans per week, on the same grid.
public enum Week {
    public static let seconds: Int64 = 7 * 86_400
    /// The epoch fell on a Thursday: Monday 1970-01-05 is four days later.
    static let mondayOffset: Int64 = 4 * 86_400

    /// The start of the week holding `instant` (seconds since the epoch).
    public static func start(of instant: Int64) -> Int64 {
        let shifted = instant - mondayOffset
        let weeks = shifted >= 0 ? shifted / seconds : (shifted - seconds + 1) / seconds
        return weeks * seconds + mondayOffset
    }

    public static func start(of instant: Timestamp) -> Timestamp { Timestamp(seconds: start(of: instant.seconds)) }

    public static func isStart(_ instant: Timestamp) -> Bool { start(of: instant.seconds) == instant.seconds }
}
