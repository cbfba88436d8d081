import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    public func setting(_ name: String) throws -> String? {
        try connection.queryOne("SELECT value FROM settings WHERE name = ?", [.text(name)]) { $0.string(0) }
    }

    public func saveSetting(_ name: String, _ value: String) throws {
        try connection.run("INSERT INTO settings(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                           [.text(name), .text(value)])
    }

    /// Every column that holds a subscription week, moved through one mapping table. Distinct
    /// week starts stay distinct (a move shifts a week by less than a day), so no key collides.
    public func moveSubscriptionWeeks(_ move: (Timestamp) -> Timestamp) throws -> Int {
        let columns = [("subscriptions", "first_week"), ("subscriptions", "paused_from"), ("subscriptions", "paused_until"),
                       ("subscriptions", "last_week"), ("subscriptions", "cut_off_through"), ("subscription_skips", "week"),
                       ("subscription_deliveries", "week"), ("subscription_cut_offs", "week"), ("purchase_orders", "subscription_week")]
        var weeks = Set<Int64>()
        for (table, column) in columns {
            for week in try connection.query("SELECT DISTINCT \(column) FROM \(table) WHERE \(column) IS NOT NULL", [], { $0.int(0) }) {
                weeks.insert(week)
            }
        }
        try connection.run("CREATE TEMP TABLE IF NOT EXISTS week_moves(old INTEGER PRIMARY KEY, new INTEGER NOT NULL)")
        try connection.run("DELETE FROM temp.week_moves")
        for week in weeks.sorted() {
            try connection.run("INSERT INTO temp.week_moves(old, new) VALUES (?, ?)", [.integer(week), .integer(move(Timestamp(seconds: week)).seconds)])
        }
        var moved = 0
        for (table, column) in columns {
            moved += try connection.run("""
                UPDATE \(table) SET \(column) = (SELECT new FROM temp.week_moves WHERE old = \(table).\(column))
                WHERE \(column) IN (SELECT old FROM temp.week_moves)
                """)
        }
        try connection.run("DELETE FROM temp.week_moves")
        return moved
    }
}
