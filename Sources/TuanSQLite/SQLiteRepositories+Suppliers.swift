import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    public func insertSupplier(name: String, endpointURL: String?, webhookSecret: String, at now: Timestamp) throws -> Supplier {
        let id = try connection.insert(
            "INSERT INTO suppliers(name, endpoint_url, webhook_secret, created_at) VALUES (?, ?, ?, ?)",
            [.text(name), SQLiteValue(endpointURL), .text(webhookSecret), .integer(now.seconds)])
        return Supplier(id: id, name: name, endpointURL: endpointURL, webhookSecret: webhookSecret)
    }

    public func supplier(id: Int64) throws -> Supplier? {
        try connection.queryOne("SELECT id, name, endpoint_url, webhook_secret, endpoint_disabled, order_cut_off_minute, utc_offset_minutes FROM suppliers WHERE id = ?",
                                [.integer(id)], Self.supplier)
    }

    public func suppliers() throws -> [Supplier] {
        try connection.query("SELECT id, name, endpoint_url, webhook_secret, endpoint_disabled, order_cut_off_minute, utc_offset_minutes FROM suppliers ORDER BY id", [], Self.supplier)
    }

    public func setSupplierEndpointDisabled(id: Int64, _ disabled: Bool) throws {
        try connection.run("UPDATE suppliers SET endpoint_disabled = ? WHERE id = ?", [SQLiteValue(disabled), .integer(id)])
    }

    static func supplier(_ row: Row) -> Supplier {
        // The CHECKs keep both columns in range: the cycle they make is valid.
        let cycle = (try? OrderCycle(minuteOfDay: row.optionalInt(5), utcOffsetMinutes: row.int(6))) ?? .immediate
        return Supplier(id: row.int(0), name: row.string(1), endpointURL: row.optionalString(2),
                        webhookSecret: row.string(3), endpointDisabled: row.bool(4), orderCycle: cycle)
    }
}
