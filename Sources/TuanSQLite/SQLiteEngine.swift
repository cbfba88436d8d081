import TuanApp
import TuanStore

/// The embedded storage engine: one SQLite file, one group-commit writer, a few readers.
public final class SQLiteEngine: StorageEngine {
    public let store: Store

    /// Opens (creating if needed) Tuan's database at `path`, migrated to this build's schema.
    public init(path: String, readers: Int = 4) throws {
        store = try Store(path: path, readers: readers)
    }

    public init(store: Store) { self.store = store }

    public var path: String { store.path }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any Repositories) throws -> T) async throws -> T {
        do { return try await store.withWriter { try body(SQLiteRepositories(connection: $0)) } } catch { throw Self.translated(error) }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any Repositories) throws -> T) async throws -> T {
        do { return try await store.withReader { try body(SQLiteRepositories(connection: $0)) } } catch { throw Self.translated(error) }
    }

    public func writeSync<T: Sendable>(_ body: @escaping @Sendable (any Repositories) throws -> T) throws -> T {
        do { return try store.withWriterSync { try body(SQLiteRepositories(connection: $0)) } } catch { throw Self.translated(error) }
    }

    public func readSync<T: Sendable>(_ body: @escaping @Sendable (any Repositories) throws -> T) throws -> T {
        do { return try store.withReaderSync { try body(SQLiteRepositories(connection: $0)) } } catch { throw Self.translated(error) }
    }

    /// SQLite's transient refusals as the application's: the layers above know no SQLite.
    static func translated(_ error: any Error) -> any Error {
        switch error {
        case let sqlite as SQLiteError where sqlite.isBusy: StorageUnavailable.busy
        case is StoreClosedError: StorageUnavailable.shuttingDown
        default: error
        }
    }

    public func metricLines() -> [String] {
        let writer = store.writerStatistics.snapshot
        var lines = [
            "# HELP tuan_writer_batches_total Write transactions committed by the group-commit writer.",
            "# TYPE tuan_writer_batches_total counter",
            "tuan_writer_batches_total \(writer.batches)",
            "# HELP tuan_writer_replays_total Batches rerun job by job because a job failed after writing.",
            "# TYPE tuan_writer_replays_total counter",
            "tuan_writer_replays_total \(writer.replays)",
            "# HELP tuan_wal_checkpoints_total Checkpoints run by the background checkpointer.",
            "# TYPE tuan_wal_checkpoints_total counter",
            "tuan_wal_checkpoints_total \(store.checkpoints)",
            "# HELP tuan_writer_longest_transaction_seconds The longest write transaction since start, BEGIN to durable COMMIT.",
            "# TYPE tuan_writer_longest_transaction_seconds gauge",
            "tuan_writer_longest_transaction_seconds \(Double(writer.longestTransactionMicroseconds) / 1_000_000)",
            "# HELP tuan_writer_batch_size Jobs committed per writer transaction.",
            "# TYPE tuan_writer_batch_size histogram",
        ]
        for (i, bound) in WriterStatistics.bucketBounds.enumerated() {
            lines.append("tuan_writer_batch_size_bucket{le=\"\(bound)\"} \(writer.cumulativeBuckets[i])")
        }
        lines += ["tuan_writer_batch_size_bucket{le=\"+Inf\"} \(writer.batches)",
                  "tuan_writer_batch_size_sum \(writer.jobs)", "tuan_writer_batch_size_count \(writer.batches)"]
        return lines
    }

    public func close() { store.close() }
}
