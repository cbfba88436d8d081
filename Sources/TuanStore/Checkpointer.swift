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
    /// Frames in the log (about 16 MiB) after which the checkpointer is woken. Hot pages (the
    /// campaign row, the running balances, index tails) are rewritten by nearly every commit,
    /// so a longer log copies each of them once for more commits: measured against SQLite's
    /// default of 1 000, about 5% more pledges per second.
    static let wakeThreshold: Int32 = 4_000
    /// Frames after which the writer checkpoints inline, so the log cannot grow without bound
    /// if the checkpointer falls behind.
    static let inlineThreshold: Int32 = 50_000

    private let connection: SQLiteConnection
    private let state = Mutex<(requested: Bool, stopped: Bool)>((false, false))
    private let wakeUp = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let completed = Atomic<Int>(0)

    /// Checkpoints run so far (for tests and metrics).
    var checkpoints: Int { completed.load(ordering: .relaxed) }

    init(path: String) throws {
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
            if frames >= Checkpointer.inlineThreshold {
                sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            } else if frames >= Checkpointer.wakeThreshold, let context {
                Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue().request()
            }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
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
            if sqlite3_wal_checkpoint_v2(connection.handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil) == SQLITE_OK {
                completed.add(1, ordering: .relaxed)
            }
        }
        finished.signal()
    }
}
