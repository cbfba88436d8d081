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

    /// Opens (creating if needed) the database at `path` and lets `migrate` bring its schema
    /// up to date on the writer's connection before anything else runs.
    public convenience init(path: String, readers readerCount: Int = 4,
                            migrate: (SQLiteConnection) throws -> Void) throws {
        try self.init(path: path, readers: readerCount, checkpoints: Checkpointer.Thresholds(), migrate: migrate)
    }

    init(path: String, readers readerCount: Int, checkpoints: Checkpointer.Thresholds,
         migrate: (SQLiteConnection) throws -> Void) throws {
        self.path = path
        let writeConnection = try SQLiteConnection(path: path)
        try migrate(writeConnection)
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

    // MARK: async

    /// Runs `body` in the writer's next transaction and returns once it is durable. `body` may
    /// run twice (when another write in its batch fails after writing, the batch is replayed),
    /// so it must not have effects outside the database; only the last run's result counts.
    public func withWriter<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            writer.submit(body) { continuation.resume(with: $0) }
        }
    }

    /// Runs `body` on a reader connection, in one read transaction: every statement in it
    /// sees the same snapshot, however many commits land meanwhile.
    public func withReader<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            readers.submit({ try $0.readTransaction { try body($0) } }) { continuation.resume(with: $0) }
        }
    }

    // MARK: blocking, for the command line and worker threads (never from async code)

    /// `withWriter` for threads that may block; the same rule about `body` applies.
    public func withWriterSync<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) throws -> T {
        try Self.waitFor { writer.submit(body, completion: $0) }
    }

    public func withReaderSync<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) throws -> T {
        try Self.waitFor { readers.submit({ try $0.readTransaction { try body($0) } }, completion: $0) }
    }

    /// Blocks the calling thread until `submit`'s completion has run, and returns its result.
    private static func waitFor<T>(_ submit: (@escaping @Sendable (Result<T, any Error>) -> Void) -> Void) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let box = SyncBox<T>()
        submit { result in
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
