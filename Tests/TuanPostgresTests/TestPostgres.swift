import Foundation
import TuanPostgres

/// The cluster the tests run against: `Scripts/test` starts a throwaway one and sets
/// `TUAN_TEST_POSTGRES_URL`. Without it the tests fail, saying so, unless `TUAN_SKIP_POSTGRES=1`
/// (a SQLite-only run) turns them off.
enum TestPostgres {
    static let url = ProcessInfo.processInfo.environment["TUAN_TEST_POSTGRES_URL"]
    static let skipped = ProcessInfo.processInfo.environment["TUAN_SKIP_POSTGRES"] == "1"

    struct NotConfigured: Error, CustomStringConvertible {
        var description: String { "no PostgreSQL: run Scripts/test (it starts one), set TUAN_TEST_POSTGRES_URL, or TUAN_SKIP_POSTGRES=1" }
    }

    /// A schema of the test's own, so tests run side by side on one database.
    final class Schema: Sendable {
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let url: String

        init() throws {
            guard let url = TestPostgres.url else { throw NotConfigured() }
            self.url = url
            try PostgresConnection(url: url).execute("CREATE SCHEMA \(name)")
        }

        /// A new connection whose tables are the schema's.
        func connect() throws -> PostgresConnection {
            let connection = try PostgresConnection(url: url)
            try connection.execute("SET search_path TO \(name)")
            return connection
        }

        deinit { try? PostgresConnection(url: url).execute("DROP SCHEMA \(name) CASCADE") }
    }
}
