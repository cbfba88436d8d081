import CSQLite

/// One SQLite connection with a prepared-statement cache.
///
/// Opened in multi-thread mode (`SQLITE_OPEN_NOMUTEX`): a connection is confined to the one
/// thread or serial queue that owns it (the writer thread, or one reader queue), which is
/// why it is `@unchecked Sendable`: it may be handed over, never shared.
public final class SQLiteConnection: @unchecked Sendable {
    let handle: OpaquePointer
    public let path: String
    private var cache: [StatementKey: Statement] = [:]
    /// Counter deltas waiting for COMMIT, and stored counters as last seen (`WriteBehind`).
    var writeBehind = WriteBehind()
    /// Caches the layers above keep per connection (`ConnectionMemo`), emptied on rollback.
    private var memos: [ObjectIdentifier: any ConnectionMemo] = [:]
    /// Counts the transactions (read or write) begun on this connection: a memo valid for one
    /// transaction only keys its entries with it.
    public private(set) var transactionSerial: UInt64 = 0
    /// Changes whenever rows may have changed other than through this connection: at a write
    /// transaction's start when another connection committed meanwhile (`PRAGMA data_version`),
    /// and at every read transaction (a reader cannot tell). A memo of rows that only this
    /// connection writes, kept in step with those writes, stays valid while it is unchanged.
    public private(set) var storedDataEpoch: UInt64 = 0
    /// `PRAGMA data_version` when this connection's transaction last began: it changes when
    /// another connection commits, which makes remembered counters stale.
    private var dataVersion: Int64?

    /// Rows changed by INSERT, UPDATE and DELETE statements since the connection opened. A
    /// statement that fails changes nothing, so an unchanged count means nothing to undo.
    var totalChanges: Int64 { sqlite3_total_changes64(handle) }

    /// True between BEGIN and COMMIT or ROLLBACK.
    public var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Rolls the open transaction back and forgets its pending counters, and every memo
    /// (a rolled-back insert frees its id for reuse).
    func rollback() {
        try? executeNow("ROLLBACK")
        writeBehind.forgetAll()
        forgetMemos()
    }

    /// Undoes everything since `SAVEPOINT name` and ends the savepoint; the caller restores the
    /// counter deltas it kept from before the savepoint.
    func rollback(toSavepoint name: String) throws {
        try executeNow("ROLLBACK TO \(name); RELEASE \(name)")
        forgetMemos()
    }

    /// `BEGIN IMMEDIATE`: the write lock up front, since a deferred transaction that later
    /// upgrades can fail with SQLITE_BUSY that the busy timeout cannot retry. Then the data
    /// version: remembered counters are dropped if another connection committed meanwhile.
    /// Cached statements, not `execute`: `sqlite3_exec` would parse the SQL on every call.
    public func beginImmediate() throws {
        try run("BEGIN IMMEDIATE")
        transactionSerial &+= 1
        let version = try queryOne("PRAGMA data_version") { $0.int(0) } ?? 0
        if version != dataVersion {
            writeBehind.forgetStored()
            dataVersion = version
            storedDataEpoch &+= 1
        }
    }

    /// Writes the transaction's counter deltas, each row once, then `COMMIT`. On failure the
    /// transaction is still open, for the caller to roll back.
    public func commit() throws {
        try flushDeferredAppends()
        if !writeBehind.isEmpty {
            try writeBehind.checkZeroSums()
            for entry in writeBehind.pending {
                var values = entry.row.key
                values.reserveCapacity(entry.row.key.count + entry.delta.count)
                for column in entry.delta.indices { values.append(.integer(entry.delta[column])) }
                try run(entry.row.table.upsert, values)
            }
        }
        try run("COMMIT")
        writeBehind.written()
    }

    /// Defers a row to COMMIT (`DeferredAppends`): items of one `key` are written together by
    /// `writer`, once, with their ids in the order deferred.
    public func deferAppend(_ key: [SQLiteValue], id: Int64,
                            writer: @escaping (SQLiteConnection, [SQLiteValue], [Int64]) throws -> Void) {
        precondition(inTransaction, "a deferred row belongs to a transaction")
        writeBehind.appends.append(key, id: id, writer: writer)
    }

    /// Writes the deferred rows now: before a row that must follow them in order.
    public func flushDeferredAppends() throws {
        guard writeBehind.appends.hasUnflushed, let writer = writeBehind.appends.writer else { return }
        for group in writeBehind.appends.unflushedGroups() { try writer(self, group.key, group.ids) }
        writeBehind.appends.markFlushed()
    }

    /// The memo of type `M` for this connection, created empty on first use.
    public func memo<M: ConnectionMemo>(_ type: M.Type) -> M {
        if let memo = memos[ObjectIdentifier(type)] { return unsafeDowncast(memo, to: M.self) }
        let memo = M()
        memos[ObjectIdentifier(type)] = memo
        return memo
    }

    private func forgetMemos() {
        for memo in memos.values { memo.forget() }
    }

    /// Forgets every memo and remembered counter, for SQL run around the repositories (a test
    /// planting a state no use case produces).
    public func forgetRemembered() {
        forgetMemos()
        writeBehind.forgetStored()
        storedDataEpoch &+= 1
    }

    /// Process-wide settings that must precede SQLite's initialisation.
    private static let configured: Void = { _ = tuan_sqlite_disable_memory_statistics() }()

    public init(path: String, readOnly: Bool = false) throws {
        Self.configured
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: "\(message): \(path)", sql: nil)
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        // Busy waits cover the moments another process (a CLI next to the server) holds the lock.
        sqlite3_busy_timeout(db, 5_000)
        try execute("PRAGMA foreign_keys = ON")
        if !readOnly {
            // WAL lets readers run while the writer commits; the pragma answers the mode it
            // actually set, which is not WAL on some filesystems, so check.
            let mode = try scalarString("PRAGMA journal_mode = WAL")
            guard mode?.lowercased() == "wal" else {
                throw SQLiteError(code: SQLITE_ERROR, message: "journal_mode=WAL refused (got \(mode ?? "nil")) for \(path)", sql: nil)
            }
            // FULL: a commit is on disk before we answer. Group commit, not weaker
            // durability, pays for the fsync.
            try execute("PRAGMA synchronous = FULL")
            // The writer wraps each job in a savepoint. Its sub-journal (the pages' before-images)
            // otherwise spills to a temporary file past 64 KiB and, once on disk, is never
            // truncated again: every later job then writes each page it touches to that file,
            // more bytes than the WAL itself. In memory it costs a page copy per touched page.
            try execute("PRAGMA temp_store = MEMORY")
        }
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    func error(_ rc: Int32, sql: String?) -> SQLiteError {
        SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Runs SQL that takes no parameters (DDL, pragmas); may hold several statements.
    public func execute(_ sql: String) throws {
        try executeNow(sql)
    }

    private func executeNow(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? "error"
            sqlite3_free(errorMessage)
            throw SQLiteError(code: rc, message: message, sql: sql)
        }
    }

    /// The cached prepared statement for `sql`, prepared on first use.
    private func cachedStatement(_ sql: String) throws -> Statement {
        if let cached = cache[StatementKey(sql)] { return cached }
        var handle: OpaquePointer?
        let rc = sqlite3_prepare_v3(self.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil)
        guard rc == SQLITE_OK, let handle else { throw error(rc, sql: sql) }
        let statement = Statement(handle: handle, sql: sql, connection: self)
        cache[StatementKey(sql)] = statement
        return statement
    }

    /// Runs a statement for its effect; returns the number of rows changed. Counter rows read
    /// by plain statements show their values as of the last commit: add `pendingDeltas` to them.
    @discardableResult
    public func run(_ sql: String, _ values: [SQLiteValue] = []) throws -> Int {
        let statement = try cachedStatement(sql)
        try statement.bind(values)
        defer { statement.finish() }
        while try statement.step() {}
        return Int(sqlite3_changes(handle))
    }

    /// The row id of the latest INSERT on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Runs an INSERT and returns the new row id.
    public func insert(_ sql: String, _ values: [SQLiteValue]) throws -> Int64 {
        try run(sql, values)
        return sqlite3_last_insert_rowid(handle)
    }

    public func query<T>(_ sql: String, _ values: [SQLiteValue] = [], _ map: (Row) throws -> T) throws -> [T] {
        let statement = try cachedStatement(sql)
        try statement.bind(values)
        defer { statement.finish() }
        var rows: [T] = []
        while try statement.step() { rows.append(try map(Row(statement: statement.handle))) }
        return rows
    }

    /// Calls `body` with each row without collecting them: for reads that fold many rows into
    /// a few values, so memory follows the result, not the table.
    public func forEachRow(_ sql: String, _ values: [SQLiteValue] = [], _ body: (Row) throws -> Void) throws {
        let statement = try cachedStatement(sql)
        try statement.bind(values)
        defer { statement.finish() }
        while try statement.step() { try body(Row(statement: statement.handle)) }
    }

    public func queryOne<T>(_ sql: String, _ values: [SQLiteValue] = [], _ map: (Row) throws -> T) throws -> T? {
        let statement = try cachedStatement(sql)
        try statement.bind(values)
        defer { statement.finish() }
        return try statement.step() ? try map(Row(statement: statement.handle)) : nil
    }

    func scalarString(_ sql: String) throws -> String? {
        try queryOne(sql) { $0.optionalString(0) } ?? nil
    }

    public func scalarInt(_ sql: String, _ values: [SQLiteValue] = []) throws -> Int64? {
        try queryOne(sql, values) { $0.optionalInt(0) } ?? nil
    }

    /// Runs `body` in one deferred read transaction (one snapshot), ended however it ends.
    func readTransaction<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try run("BEGIN")
        transactionSerial &+= 1
        storedDataEpoch &+= 1
        defer { _ = try? run("COMMIT") }
        return try body(self)
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction.
    public func immediateTransaction<T>(_ body: () throws -> T) throws -> T {
        try beginImmediate()
        do {
            let result = try body()
            try commit()
            return result
        } catch {
            rollback()
            throw error
        }
    }
}

/// The statement cache's key: the SQL text, hashed by its length and its last 32 bytes
/// rather than all of it. Statements run thousands of times a second and are several hundred
/// bytes long; equality still compares the whole text, so a collision only costs a compare.
struct StatementKey: Hashable {
    let sql: String

    init(_ sql: String) { self.sql = sql }

    func hash(into hasher: inout Hasher) {
        var sql = sql
        sql.withUTF8 { bytes in
            hasher.combine(bytes.count)
            hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[max(0, bytes.count - 32)...])))
        }
    }
}
