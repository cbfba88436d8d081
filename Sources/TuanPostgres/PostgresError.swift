/// A failure PostgreSQL or libpq reported: the SQLSTATE when the server sent one (`23505` a unique
/// violation, `40001` a serialization failure, `08006` a broken connection), its message, and the
/// statement, so a caller can tell a conflict to answer from a fault to retry or report.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public var sqlState: String?
    public var message: String
    public var sql: String?

    public init(sqlState: String?, message: String, sql: String?) {
        self.sqlState = sqlState
        self.message = message
        self.sql = sql
    }

    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isCheckViolation: Bool { sqlState == "23514" }
    /// Serialization failures and deadlocks: the transaction can be retried as a whole.
    public var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }

    public var description: String {
        "PostgreSQL \(sqlState ?? "error"): \(message)" + (sql.map { " [\($0.prefix(200))]" } ?? "")
    }
}
