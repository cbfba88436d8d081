import Dispatch

/// Tuan's embedded store: one SQLite file in WAL mode, one group-committing writer and a
/// few readers. Every write runs on the writer thread inside `BEGIN IMMEDIATE`; async
/// callers suspend until the commit is durable, without blocking the concurrency pool.
public final class Store: Sendable {
    public let path: String
    private let writer: GroupCommitWriter
    private let readers: ReaderPool
    private let checkpointer: Checkpointer

    public var writerStatistics: WriterStatistics { writer.statistics }

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    public convenience init(path: String, readers readerCount: Int = 4) throws {
        try self.init(path: path, readers: readerCount, checkpoints: Checkpointer.Thresholds())
    }

    init(path: String, readers readerCount: Int, checkpoints: Checkpointer.Thresholds) throws {
        self.path = path
        let writeConnection = try SQLiteConnection(path: path)
        try Migrations.apply(to: writeConnection)
        self.readers = try ReaderPool(path: path, count: readerCount)
        self.checkpointer = try Checkpointer(path: path, thresholds: checkpoints)
        checkpointer.attach(to: writeConnection)
        self.writer = GroupCommitWriter(connection: writeConnection)
    }

    /// Commits what is queued, then stops the writer. Later writes fail with `StoreClosedError`.
    public func close() {
        writer.stop()
        checkpointer.stop()
    }

    deinit { close() }

    /// Checkpoints the background checkpointer has run.
    public var checkpoints: Int { checkpointer.checkpoints }

    public static var schemaVersion: Int { Migrations.latestVersion }

    // MARK: async

    /// Runs `body` in the writer's next transaction and returns once it is durable. `body` may
    /// run twice (when another write in its batch fails after writing, the batch is replayed),
    /// so it must not have effects outside the database; only the last run's result counts.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            writer.submit({ try body(Database(connection: $0)) }) { continuation.resume(with: $0) }
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            readers.submit({ try body(Database(connection: $0)) }) { continuation.resume(with: $0) }
        }
    }

    // MARK: blocking, for the command line and worker threads (never from async code)

    /// `write` for threads that may block; the same rule about `body` applies.
    public func writeSync<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let box = SyncBox<T>()
        writer.submit({ try body(Database(connection: $0)) }) { result in
            box.result = result
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }

    public func readSync<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let box = SyncBox<T>()
        readers.submit({ try body(Database(connection: $0)) }) { result in
            box.result = result
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }
}

/// Hands a result from the worker thread to the waiting thread; the semaphore orders the accesses.
private final class SyncBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// The handle repositories work through, valid only inside one `write`/`read` closure.
public struct Database {
    public let connection: SQLiteConnection
}
