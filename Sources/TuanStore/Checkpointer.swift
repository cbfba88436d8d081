import CSQLite
import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Copies the write-ahead log back into the database file on its own thread and connection,
/// so the writer's commits never wait on a checkpoint's page writes and fsyncs.
///
/// SQLite's default runs a checkpoint inside whichever commit pushes the log past 1 000
/// frames; under load that is one commit in thirty or so, and it stalled every request of
/// that batch. A separate checkpointer is the arrangement SQLite's WAL notes describe:
/// checkpoints and writers do not block each other, and durability is unchanged (each commit
/// is still fsynced in the log before it is acknowledged).
final class Checkpointer: @unchecked Sendable {
    /// When to copy the log back, in WAL frames (one page each, about 4 KiB).
    struct Thresholds: Sendable {
        /// Frames written since the last checkpoint after which the checkpointer is woken.
        /// Hot pages (the campaign row, the running balances, index tails) are rewritten by
        /// nearly every commit, so a checkpoint every few thousand frames copies each of them
        /// once for many commits. Counting from the last checkpoint matters: counting the
        /// whole log woke it after every commit once the log passed the mark (about 240
        /// checkpoints a second, each with its own fsync of the database file).
        var wake: Int32 = 4_000
        /// Log length at which the writer checkpoints inline, after a commit. The background
        /// checkpoint almost never leaves nothing behind (the writer commits while it runs),
        /// and SQLite starts the log again from its first frame only after a checkpoint that
        /// left nothing. The writer's own checkpoint does, since no commit can happen during
        /// it, and it only copies what the checkpointer has not (at most `wake` frames). So
        /// the log stays under this length (64 MiB), and the stall is a few milliseconds for
        /// one batch in several hundred.
        var inline: Int32 = 16_000
    }

    private let connection: SQLiteConnection
    private let state = Mutex<(requested: Bool, stopped: Bool)>((false, false))
    private let wakeUp = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let completed = Atomic<Int>(0)
    /// How far into the log the last background checkpoint copied. May belong to a log that
    /// has since restarted; `framesSinceCheckpoint` allows for that.
    private let backfilled = Atomic<Int32>(0)
    let thresholds: Thresholds

    /// Checkpoints run so far (for tests and metrics).
    var checkpoints: Int { completed.load(ordering: .relaxed) }

    init(path: String, thresholds: Thresholds = Thresholds()) throws {
        self.thresholds = thresholds
        connection = try SQLiteConnection(path: path)
        let thread = Thread { [self] in
            nameCurrentThread("tuan-checkpoint")
            run()
        }
        thread.start()
    }

    /// Replaces `writer`'s automatic checkpoints with this checkpointer. Called once, on the
    /// thread that owns `writer`, before it writes.
    func attach(to writer: SQLiteConnection) {
        sqlite3_wal_hook(writer.handle, { context, db, schema, frames in
            guard let context else { return SQLITE_OK }
            let checkpointer = Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue()
            if frames >= checkpointer.thresholds.inline {
                // PASSIVE: if the checkpointer is mid-run this returns at once, and the next commit tries again.
                sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            } else if checkpointer.framesSinceCheckpoint(logLength: frames) >= checkpointer.thresholds.wake {
                checkpointer.request()
            }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Frames written since the last background checkpoint. A log shorter than what that
    /// checkpoint copied has restarted since, so all of it is new.
    private func framesSinceCheckpoint(logLength: Int32) -> Int32 {
        let copied = backfilled.load(ordering: .relaxed)
        return logLength >= copied ? logLength - copied : logLength
    }

    private func request() {
        let wake = state.withLock { state -> Bool in
            defer { state.requested = true }
            return !state.requested
        }
        if wake { wakeUp.signal() }
    }

    /// Stops the thread after any checkpoint in progress. Stop the writer first: its commits
    /// call into this object through the WAL hook.
    func stop() {
        let wasRunning = state.withLock { state -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard wasRunning else { return }
        wakeUp.signal()
        finished.wait()
    }

    private func run() {
        while true {
            wakeUp.wait()
            let stopped = state.withLock { state -> Bool in
                state.requested = false
                return state.stopped
            }
            if stopped { break }
            // PASSIVE: copies what no reader still needs and never blocks the writer or readers.
            var log: Int32 = 0, copied: Int32 = 0
            if sqlite3_wal_checkpoint_v2(connection.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) == SQLITE_OK {
                backfilled.store(copied, ordering: .relaxed)
                completed.add(1, ordering: .relaxed)
            }
        }
        finished.signal()
    }
}
