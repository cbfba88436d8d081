import Dispatch
import Foundation
import Synchronization

/// The single writer. Jobs queue up while the previous transaction commits; the writer
/// thread then runs every waiting job inside one `BEGIN IMMEDIATE` transaction (each in its
/// own savepoint, so one job's failure rolls back only that job) and commits once. Callers
/// are answered only after COMMIT returns, so every acknowledged write is durable, and one
/// fsync is shared by the whole batch: group commit.
final class GroupCommitWriter: Sendable {
    private struct Job: Sendable {
        let run: @Sendable (SQLiteConnection) throws -> Void
        let fail: @Sendable (any Error) -> Void
        let finish: @Sendable () -> Void
    }

    private struct State {
        var jobs: [Job] = []
        var stopped = false
    }

    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)
    private let stoppedSignal = DispatchSemaphore(value: 0)
    let statistics = WriterStatistics()
    let maximumBatch: Int

    init(connection: SQLiteConnection, maximumBatch: Int = 1_000) {
        self.maximumBatch = maximumBatch
        let thread = Thread { [self] in self.loop(connection) }
        thread.name = "tuan-sqlite-writer"
        thread.start()
    }

    /// Queues `body`; `completion` is called on the writer thread after the commit (or failure).
    func submit<T>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T,
                   completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        // `result` is only touched on the writer thread: set by `run`, read by `finish`.
        let box = ResultBox<T>()
        let job = Job(
            run: { connection in box.value = try body(connection) },
            fail: { error in completion(.failure(error)) },
            finish: { completion(.success(box.value!)) }
        )
        let accepted = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.jobs.append(job)
            return true
        }
        guard accepted else { return completion(.failure(StoreClosedError())) }
        wakeUp.signal()
    }

    /// Stops after the jobs already queued have been committed.
    func stop() {
        let wasRunning = state.withLock { state -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard wasRunning else { return }
        wakeUp.signal()
        stoppedSignal.wait()
    }

    private func loop(_ connection: SQLiteConnection) {
        while true {
            wakeUp.wait()
            while true {
                let (batch, stopped) = state.withLock { state -> ([Job], Bool) in
                    let take = Array(state.jobs.prefix(maximumBatch))
                    state.jobs.removeFirst(take.count)
                    return (take, state.stopped)
                }
                if batch.isEmpty {
                    if stopped { stoppedSignal.signal(); return }
                    break
                }
                commit(batch, on: connection)
            }
        }
    }

    private func commit(_ batch: [Job], on connection: SQLiteConnection) {
        var succeeded: [Job] = []
        var failed: [(Job, any Error)] = []
        do {
            try connection.run("BEGIN IMMEDIATE")
        } catch {
            for job in batch { job.fail(error) }
            return
        }
        for job in batch {
            do {
                // Prepared once and reused: these run twice per job, at every commit.
                try connection.run("SAVEPOINT job")
                do {
                    try job.run(connection)
                    try connection.run("RELEASE job")
                    succeeded.append(job)
                } catch {
                    try connection.execute("ROLLBACK TO job; RELEASE job")
                    failed.append((job, error))
                }
            } catch {
                failed.append((job, error))
            }
        }
        do {
            try connection.run("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            for job in batch { job.fail(error) }
            return
        }
        statistics.record(batchSize: batch.count)
        for job in succeeded { job.finish() }
        for (job, error) in failed { job.fail(error) }
    }
}

/// Carries one job's result from `run` to `finish`, both on the writer thread.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

public struct StoreClosedError: Error, CustomStringConvertible {
    public var description: String { "the store is closed" }
}
