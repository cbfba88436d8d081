import TuanDomain

/// The deployment's settings kept with its data, by name.
public protocol SettingsRepository {
    func setting(_ name: String) throws -> String?
    func saveSetting(_ name: String, _ value: String) throws
    /// Moves every stored subscription week (first weeks, pauses, skips, last weeks, deliveries,
    /// cut-offs and the weeks of subscription orders) through `move`, which must keep their order.
    func moveSubscriptionWeeks(_ move: (Timestamp) -> Timestamp) throws -> Int
}

public enum SettingName {
    /// The IANA zone whose Mondays subscription weeks start on.
    public static let weekTimeZone = "week_time_zone"
}
