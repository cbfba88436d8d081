import CSQLite

/// A failed SQLite call, with the extended result code and SQLite's own message.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public var code: Int32
    public var message: String
    public var sql: String?

    public var description: String {
        "SQLite error \(code): \(message)" + (sql.map { " (in: \($0.prefix(120)))" } ?? "")
    }

    /// Primary result code (extended codes carry detail in the high bits).
    public var primaryCode: Int32 { code & 0xFF }
    /// SQLITE_CONSTRAINT_UNIQUE (a function-like macro in sqlite3.h, so not imported).
    public var isUniqueViolation: Bool { code == SQLITE_CONSTRAINT | (8 << 8) }
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }
}

/// An invariant the store checks where money and counters are written, broken: a bug in the
/// code that decided the write, never bad input. The write fails and nothing of it is stored.
public struct StoreInvariantError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
