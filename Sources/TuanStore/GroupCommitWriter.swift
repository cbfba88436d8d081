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

    /// Commits `batch` in one transaction. Jobs first run bare (see `runBare`); if one fails
    /// after writing, the transaction is rolled back, that job gets its error, and the rest
    /// run again, each in its own savepoint. They see the same state as before, so they
    /// decide the same.
    private func commit(_ batch: [Job], on connection: SQLiteConnection) {
        var batch = batch
        var runJob = runBare
        while !batch.isEmpty {
            let started = DispatchTime.now().uptimeNanoseconds
            let outcome = transaction(batch, on: connection, runJob)
            statistics.recordTransaction(microseconds: Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000))
            switch outcome {
            case .committed(let succeeded, let failed):
                statistics.record(batchSize: batch.count)
                for job in succeeded { job.finish() }
                for (job, error) in failed { job.fail(error) }
                return
            case .wroteThenFailed(let index, let error):
                statistics.recordReplay()
                batch.remove(at: index).fail(error)
                runJob = runInSavepoint
            case .failed(let error):
                for job in batch { job.fail(error) }
                return
            }
        }
    }

    private enum Outcome {
        case committed(succeeded: [Job], failed: [(Job, any Error)])
        case wroteThenFailed(index: Int, error: any Error)
        case failed(any Error)
    }

    private enum JobResult {
        case succeeded
        /// Failed with nothing of its own left in the transaction.
        case failed(any Error)
        /// Failed with writes that only rolling back the transaction can undo.
        case wroteThenFailed(any Error)
    }

    /// `BEGIN IMMEDIATE`, each job through `runJob`, then `COMMIT`; rolled back (and the
    /// connection's row caches dropped) if a job leaves writes it cannot undo or COMMIT fails.
    private func transaction(_ batch: [Job], on connection: SQLiteConnection,
                             _ runJob: (Job, SQLiteConnection) -> JobResult) -> Outcome {
        do {
            try connection.beginImmediate()
        } catch {
            return .failed(error)
        }
        var succeeded: [Job] = []
        var failed: [(Job, any Error)] = []
        for (index, job) in batch.enumerated() {
            switch runJob(job, connection) {
            case .succeeded:
                succeeded.append(job)
            case .failed(let error):
                failed.append((job, error))
            case .wroteThenFailed(let error):
                connection.rollback()
                return .wroteThenFailed(index: index, error: error)
            }
        }
        do {
            // Writes the batch's summed counter deltas (`WriteBehind`), then commits.
            try connection.commit()
        } catch {
            connection.rollback()
            return .failed(error)
        }
        return .committed(succeeded: succeeded, failed: failed)
    }

    /// Runs a job with no savepoint. A savepoint per job copied every page the job touched
    /// into a sub-journal and cost two statements: measured, a third of the writer's time per
    /// pledge. It is needed only to undo a job that fails after it has written, which is rare:
    /// refusals (sold out, closed, bad input) are decided before any write, and a job that
    /// changed no row needs no undo. The rare case makes `commit` replay the batch in
    /// savepoints; hence a job's closure may run twice, and must not have effects outside the
    /// database. Counter deltas the job added are undone by restoring those from before it.
    private func runBare(_ job: Job, on connection: SQLiteConnection) -> JobResult {
        let changesBefore = connection.totalChanges
        let mark = connection.writeBehind.mark()
        do {
            try job.run(connection)
            connection.writeBehind.release(mark)
            return .succeeded
        } catch {
            guard connection.totalChanges == changesBefore else {
                // `commit` replays the batch from the start: the transaction is rolled back whole.
                connection.writeBehind.release(mark)
                return .wroteThenFailed(error)
            }
            connection.writeBehind.undo(to: mark)
            return .failed(error)
        }
    }

    /// Runs a job in its own savepoint, so that its failure undoes only its own writes.
    private func runInSavepoint(_ job: Job, on connection: SQLiteConnection) -> JobResult {
        let mark = connection.writeBehind.mark()
        do {
            try connection.run("SAVEPOINT job")
            do {
                try job.run(connection)
                try connection.run("RELEASE job")
                connection.writeBehind.release(mark)
                return .succeeded
            } catch {
                try connection.rollback(toSavepoint: "job")
                connection.writeBehind.undo(to: mark)
                return .failed(error)
            }
        } catch {
            connection.writeBehind.undo(to: mark)
            return .failed(error)
        }
    }
}

/// Carries one job's result from `run` to `finish`, both on the writer thread.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

public struct StoreClosedError: Error, CustomStringConvertible {
    public var description: String { "the store is closed" }
}
