import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    public func pickupPoints() throws -> [PickupPoint] {
        try connection.query(Self.pickupPointColumns + " ORDER BY name", [], Self.pickupPoint)
    }

    public func pickupPoint(id: Int64) throws -> PickupPoint? {
        try connection.queryOne(Self.pickupPointColumns + " WHERE id = ?", [.integer(id)], Self.pickupPoint)
    }

    public func pickupPoint(name: String) throws -> PickupPoint? {
        try connection.queryOne(Self.pickupPointColumns + " WHERE name = ?", [.text(name)], Self.pickupPoint)
    }

    public func insertPickupPoint(_ point: PickupPoint) throws -> PickupPoint {
        var saved = point
        do {
            saved.id = try connection.insert("""
                INSERT INTO pickup_points(name, address, opening_hours, time_zone, capacity_per_day, leader_id) VALUES (?, ?, ?, ?, ?, ?)
                """, Self.values(point))
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw DomainError(.conflict, field: "name", "a pickup point is already called \(point.name)")
        }
        return saved
    }

    public func savePickupPoint(_ point: PickupPoint) throws {
        try connection.run("""
            UPDATE pickup_points SET name = ?, address = ?, opening_hours = ?, time_zone = ?, capacity_per_day = ?, leader_id = ? WHERE id = ?
            """, Self.values(point) + [.integer(point.id)])
    }

    public func pickupLoad(name: String, from: Timestamp, days: Int) throws -> [(day: Timestamp, units: Int64)] {
        let start = from.seconds - from.seconds % 86_400
        return try connection.query("""
            SELECT (d.delivery - d.delivery % 86400) AS day, SUM(d.quantity) FROM (
                SELECT p.quantity, COALESCE(c.delivery_at, COALESCE(c.closed_at, c.closes_at) + COALESCE(pr.lead_days, 14) * 86400) AS delivery
                FROM pledges p JOIN campaigns c ON c.id = p.campaign_id JOIN products pr ON pr.sku = c.sku
                WHERE p.pickup_point = ?1 AND p.status IN ('pledged', 'confirmed', 'paid')
                  AND c.status IN ('open', 'tipped', 'closing', 'succeeded')) d
            WHERE d.delivery >= ?2 AND d.delivery < ?3 GROUP BY day ORDER BY day
            """, [.text(name), .integer(start), .integer(start + Int64(days) * 86_400)]) { (Timestamp(seconds: $0.int(0)), $0.int(1)) }
    }

    private static let pickupPointColumns = "SELECT id, name, address, opening_hours, time_zone, capacity_per_day, leader_id FROM pickup_points"

    private static func pickupPoint(_ row: Row) -> PickupPoint {
        PickupPoint(restoringID: row.int(0), name: row.string(1), address: row.optionalString(2), openingHours: row.optionalString(3),
                    timeZone: row.optionalString(4), capacityPerDay: row.optionalInt(5), leaderID: row.optionalInt(6))
    }

    private static func values(_ point: PickupPoint) -> [SQLiteValue] {
        [.text(point.name), SQLiteValue(point.address), SQLiteValue(point.openingHours), SQLiteValue(point.timeZone),
         SQLiteValue(point.capacityPerDay), SQLiteValue(point.leaderID)]
    }
}
