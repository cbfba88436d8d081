import CPostgres
#if canImport(Glibc)
import Glibc
#endif

/// One connection to PostgreSQL through libpq. Every call waits on the network, so a connection
/// belongs to a thread of its own (a node's writer, a reader), never to the concurrency pool, as
/// `SQLiteConnection` does; it is not safe to share between threads.
///
/// Statements take their values as parameters (`$1`, `$2`, …), one statement per call, so a
/// value is never spliced into SQL; `execute` runs parameterless scripts (schema, settings).
public final class PostgresConnection {
    private let handle: OpaquePointer
    public let url: String
    /// Rows inserted, updated or deleted through `run` on this connection: how a writer tells a
    /// job that failed before writing from one that must be undone.
    public private(set) var changes = 0

    /// `url`: a libpq connection string or `postgres://user@host:port/database` URI. A
    /// connection that cannot be made within `connectTimeoutSeconds` fails, not hangs; a
    /// statement running longer than `statementTimeoutMilliseconds` is cancelled by the server.
    public init(url: String, connectTimeoutSeconds: Int = 5, statementTimeoutMilliseconds: Int = 30_000) throws {
        precondition(connectTimeoutSeconds > 0 && statementTimeoutMilliseconds > 0, "timeouts are positive")
        let keywords = ["dbname", "connect_timeout", "application_name"]
        let values = [url, String(connectTimeoutSeconds), "tuan"]
        // expand_dbname = 1: `dbname` may itself be a URI or a connection string.
        let connection = Self.withCStrings(keywords.map(Optional.some) + [nil]) { keys in
            Self.withCStrings(values.map(Optional.some) + [nil]) { vals in PQconnectdbParams(keys, vals, 1) }
        }
        guard let connection else { throw PostgresError(sqlState: nil, message: "libpq could not allocate a connection", sql: nil) }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection)).trimmingTrailingNewlines
            PQfinish(connection)
            throw PostgresError(sqlState: "08001", message: message, sql: nil)
        }
        self.handle = connection
        self.url = url
        try execute("SET statement_timeout = \(statementTimeoutMilliseconds)")
    }

    deinit { PQfinish(handle) }

    /// Whether the connection still stands (a server restart breaks it: `reconnect` makes it again).
    public var isConnected: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Makes the connection again after the server went away.
    public func reconnect() throws {
        PQreset(handle)
        guard isConnected else {
            throw PostgresError(sqlState: "08006", message: String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines, sql: nil)
        }
    }

    /// Runs SQL that takes no parameters; may hold several statements (a migration).
    public func execute(_ sql: String) throws {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, sql: sql)
    }

    /// Runs one statement; the number of rows it inserted, updated or deleted.
    @discardableResult
    public func run(_ sql: String, _ parameters: [PostgresValue] = []) throws -> Int {
        let changed = try withResult(sql, parameters) { result in Int(String(cString: PQcmdTuples(result))) ?? 0 }
        changes += changed
        return changed
    }

    /// Whether a statement failed inside the open transaction, which PostgreSQL then refuses to
    /// go on with until it is rolled back (to a savepoint, or whole).
    public var transactionFailed: Bool { PQtransactionStatus(handle) == PQTRANS_INERROR }

    /// Runs one statement and maps every row it returns.
    public func query<T>(_ sql: String, _ parameters: [PostgresValue] = [], _ map: (PostgresRow) throws -> T) throws -> [T] {
        try withResult(sql, parameters) { result in
            let rows = Int(PQntuples(result)), columns = Int(PQnfields(result))
            var mapped: [T] = []
            mapped.reserveCapacity(rows)
            for row in 0..<rows {
                let values: [String?] = (0..<columns).map { column in
                    PQgetisnull(result, Int32(row), Int32(column)) == 1 ? nil : String(cString: PQgetvalue(result, Int32(row), Int32(column)))
                }
                mapped.append(try map(PostgresRow(values: values)))
            }
            return mapped
        }
    }

    /// The first row's mapping, or nil when there is none.
    public func queryOne<T>(_ sql: String, _ parameters: [PostgresValue] = [], _ map: (PostgresRow) throws -> T) throws -> T? {
        try query(sql, parameters, map).first
    }

    /// `body` in one transaction: committed when it returns, rolled back when it throws (the
    /// error is rethrown). `isolation` is PostgreSQL's (`READ COMMITTED` by default).
    public func transaction<T>(isolation: String = "READ COMMITTED", _ body: () throws -> T) throws -> T {
        precondition(["READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"].contains(isolation), "an isolation level")
        try execute("BEGIN ISOLATION LEVEL \(isolation)")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            // A broken connection cannot roll back; the server does when the session ends.
            if isConnected { try? execute("ROLLBACK") }
            throw error
        }
    }

    private func withResult<T>(_ sql: String, _ parameters: [PostgresValue], _ read: (OpaquePointer) throws -> T) throws -> T {
        let result = Self.withCStrings(parameters.map(\.wire)) { values in
            PQexecParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        defer { PQclear(result) }
        try check(result, sql: sql)
        return try read(result!)
    }

    private func check(_ result: OpaquePointer?, sql: String) throws {
        guard let result else {
            throw PostgresError(sqlState: isConnected ? nil : "08006", message: String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines, sql: sql)
        }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let message = String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines
            throw PostgresError(sqlState: state ?? (isConnected ? nil : "08006"), message: message, sql: sql)
        }
    }

    /// Hands C a NULL-or-string array that lives for the call.
    private static func withCStrings<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } ?? nil }
        defer { for copy in copies { free(copy) } }
        let pointers = copies.map { $0.map { UnsafePointer($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = self
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}
