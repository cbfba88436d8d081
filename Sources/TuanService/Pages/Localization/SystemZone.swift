import Foundation
import TuanApp
import TuanDomain

/// An IANA zone from the system's tz database, as the rules see zones.
struct SystemZone: UTCOffsets, @unchecked Sendable {
    let identifier: String
    let zone: TimeZone

    init?(_ name: String) {
        guard let zone = PageSettings.zone(named: name) else { return nil }
        self.identifier = name
        self.zone = zone
    }

    func offset(at utcSeconds: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utcSeconds))))
    }
}

/// The deployment's subscription week grid, kept with its data (`SettingName.weekTimeZone`).
public enum WeekGrids {
    public static func grid(named name: String) -> WeekGrid? {
        name == "UTC" ? .utc : SystemZone(name).map { WeekGrid(zone: $0) }
    }

    /// The grid the database's weeks are on: its stored zone, UTC when none is stored yet.
    public static func stored(in engine: any StorageEngine) throws -> WeekGrid {
        try storedGrid(named: try TuanApplication(engine: engine).weekTimeZone().runBlocking() ?? "UTC")
    }

    /// The stored grid, or for a database that has none yet, `zone` recorded as its grid.
    public static func adopt(_ zone: String, in engine: any StorageEngine) throws -> WeekGrid {
        try storedGrid(named: try TuanApplication(engine: engine).adoptWeekTimeZone(zone).runBlocking())
    }

    private static func storedGrid(named name: String) throws -> WeekGrid {
        guard let grid = grid(named: name) else {
            throw DomainError(.conflict, field: "time_zone", "the database's week zone \(name) is not in this system's tz database")
        }
        return grid
    }
}
