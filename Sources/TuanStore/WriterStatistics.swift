import Synchronization

/// Counts of writer batches, for /metrics: how well group commit is batching.
public final class WriterStatistics: Sendable {
    /// Upper bounds of the batch-size histogram buckets.
    public static let bucketBounds: [Int] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]

    public struct Snapshot: Sendable {
        public var batches: Int64
        public var jobs: Int64
        /// Batches run again job by job in savepoints because one job failed after writing.
        public var replays: Int64 = 0
        /// The longest write transaction so far, BEGIN to durable COMMIT, in microseconds: how
        /// long the one writer was held (a big close shows here; every other write waited).
        public var longestTransactionMicroseconds: Int64 = 0
        /// Cumulative counts per bound in `bucketBounds`.
        public var cumulativeBuckets: [Int64]
    }

    private let state = Mutex(Snapshot(batches: 0, jobs: 0, cumulativeBuckets: Array(repeating: 0, count: bucketBounds.count)))

    func record(batchSize: Int) {
        state.withLock { s in
            s.batches += 1
            s.jobs += Int64(batchSize)
            for (i, bound) in Self.bucketBounds.enumerated() where batchSize <= bound { s.cumulativeBuckets[i] += 1 }
        }
    }

    func recordReplay() { state.withLock { $0.replays += 1 } }

    func recordTransaction(microseconds: Int64) {
        state.withLock { $0.longestTransactionMicroseconds = max($0.longestTransactionMicroseconds, microseconds) }
    }

    public var snapshot: Snapshot { state.withLock { $0 } }
}
