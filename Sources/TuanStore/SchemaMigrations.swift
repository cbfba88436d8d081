/// Numbered schema changes, each applied once, in order, in one transaction with the record
/// that it was: a database is always at exactly one version.
public enum SchemaMigrations {
    public struct Migration: Sendable {
        public let version: Int
        public let sql: String

        public init(version: Int, sql: String) {
            self.version = version
            self.sql = sql
        }
    }

    public static func apply(_ migrations: [Migration], to connection: SQLiteConnection) throws {
        precondition(zip(migrations, migrations.dropFirst()).allSatisfy { $0.version < $1.version }, "migrations are numbered in order")
        try connection.execute("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
        try connection.immediateTransaction {
            let current = try version(of: connection)
            for migration in migrations where migration.version > current {
                try connection.execute(migration.sql)
                try connection.run("INSERT INTO schema_migrations(version, applied_at) VALUES (?, strftime('%s','now'))",
                                   [.integer(Int64(migration.version))])
            }
        }
    }

    /// The version the database is at: 0 when no migration has run.
    public static func version(of connection: SQLiteConnection) throws -> Int {
        Int(try connection.scalarInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") ?? 0)
    }
}
