import Dispatch
import Foundation
import Synchronization

/// The single writer. Jobs queue up while the previous transaction commits; the writer
/// thread then runs every waiting job inside one `BEGIN IMMEDIATE` transaction (one job's
/// failure undoes only that job: see `runOptimistically`) and commits once. Callers
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
        let thread = Thread { [self] in
            nameCurrentThread("tuan-writer")
            self.loop(connection)
        }
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
        switch runOptimistically(batch, on: connection) {
        case .committed(let succeeded, let failed):
            statistics.record(batchSize: batch.count)
            for job in succeeded { job.finish() }
            for (job, error) in failed { job.fail(error) }
        case .wroteThenFailed(let index, let error):
            // Undone by the rollback; the rest of the batch runs again, each job in its own
            // savepoint this time. They see the same state as before, so they decide the same.
            statistics.recordReplay()
            batch[index].fail(error)
            var rest = batch
            rest.remove(at: index)
            if !rest.isEmpty { commitInSavepoints(rest, on: connection) }
        case .failed(let error):
            for job in batch { job.fail(error) }
        }
    }

    private enum Outcome {
        case committed(succeeded: [Job], failed: [(Job, any Error)])
        case wroteThenFailed(index: Int, error: any Error)
        case failed(any Error)
    }

    /// Runs the jobs one after another with no savepoints. A savepoint per job copied every
    /// page the job touched into a sub-journal and cost two statements: measured, a third of
    /// the writer's time per pledge. They are needed only to undo a job that fails after it
    /// has written, which is rare: refusals (sold out, closed, bad input) are decided before
    /// any write, and a job that changed no row needs no undo. The rare case rolls the whole
    /// transaction back and lets `commit` retry the others with savepoints; hence a job's
    /// closure may run twice, and must not have effects outside the database.
    private func runOptimistically(_ batch: [Job], on connection: SQLiteConnection) -> Outcome {
        do {
            try connection.run("BEGIN IMMEDIATE")
        } catch {
            return .failed(error)
        }
        var succeeded: [Job] = []
        var failed: [(Job, any Error)] = []
        for (index, job) in batch.enumerated() {
            let changesBefore = connection.totalChanges
            do {
                try job.run(connection)
                succeeded.append(job)
            } catch {
                guard connection.totalChanges == changesBefore else {
                    try? connection.execute("ROLLBACK")
                    connection.discardRowCaches()
                    return .wroteThenFailed(index: index, error: error)
                }
                failed.append((job, error))
            }
        }
        do {
            try connection.run("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            connection.discardRowCaches()
            return .failed(error)
        }
        return .committed(succeeded: succeeded, failed: failed)
    }

    /// One transaction, each job in its own savepoint, so one job's failure undoes only its own writes.
    private func commitInSavepoints(_ batch: [Job], on connection: SQLiteConnection) {
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
                try connection.run("SAVEPOINT job")
                do {
                    try job.run(connection)
                    try connection.run("RELEASE job")
                    succeeded.append(job)
                } catch {
                    try connection.execute("ROLLBACK TO job; RELEASE job")
                    connection.discardRowCaches()
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
            connection.discardRowCaches()
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
