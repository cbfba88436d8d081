import TuanApp
import TuanStore

/// The SQLite implementation of the application's repositories, over one connection and
/// valid only inside the transaction closure it was made for. Loads snapshots and applies
/// changesets; decides nothing.
public struct SQLiteRepositories: Repositories {
    let connection: SQLiteConnection

    init(connection: SQLiteConnection) { self.connection = connection }
}

/// Transactions over the repositories straight on the store, for tests that set up or inspect
/// what no use case produces (`@testable` only: everything else goes through `TuanApplication`).
extension Store {
    func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteRepositories) throws -> T) async throws -> T {
        try await withWriter { try body(SQLiteRepositories(connection: $0)) }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteRepositories) throws -> T) async throws -> T {
        try await withReader { try body(SQLiteRepositories(connection: $0)) }
    }

    func writeSync<T: Sendable>(_ body: @escaping @Sendable (SQLiteRepositories) throws -> T) throws -> T {
        try withWriterSync { try body(SQLiteRepositories(connection: $0)) }
    }

    func readSync<T: Sendable>(_ body: @escaping @Sendable (SQLiteRepositories) throws -> T) throws -> T {
        try withReaderSync { try body(SQLiteRepositories(connection: $0)) }
    }
}

extension Store {
    /// Opens (creating if needed) Tuan's database at `path`, migrated to this build's schema.
    public convenience init(path: String, readers: Int = 4) throws {
        try self.init(path: path, readers: readers, migrate: Migrations.apply(to:))
    }

    public static var schemaVersion: Int { Migrations.latestVersion }
}

extension SQLiteRepositories {
    /// The schema version the database is at.
    public func schemaVersion() throws -> Int { try SchemaMigrations.version(of: connection) }

    /// Runs raw SQL, bypassing every repository: only for tests (`@testable`) that set up a
    /// state no use case produces.
    func executeRaw(_ sql: String) throws {
        try connection.run(sql)
        connection.forgetRemembered()
    }
}
