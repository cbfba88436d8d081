import Dispatch
import Foundation
import Synchronization

/// A node's writer on PostgreSQL: group commit, as `TuanStore`'s writer does on SQLite. Jobs
/// queue while the previous transaction commits; the writer thread runs every waiting job in one
/// transaction and commits once, so the batch shares one WAL flush, and answers each job only
/// after COMMIT returns. Jobs run bare; one that fails after writing (or whose statement failed,
/// which aborts a PostgreSQL transaction) rolls the batch back, gets its error, and the rest run
/// again, each in its own savepoint: one bad job never blocks the others. A job's closure may
/// therefore run twice and must have no effect outside the database. The queue is bounded.
public final class PostgresWriter: Sendable {
    private struct Job: Sendable {
        let run: @Sendable (PostgresConnection) throws -> Void
        let fail: @Sendable (any Error) -> Void
        let finish: @Sendable () -> Void
    }

    private struct State {
        var jobs: [Job] = []
        var stopped = false
        var transactions = 0, replays = 0
    }

    /// Hands the connection to the writer thread, which alone uses it.
    private final class Owned: @unchecked Sendable {
        let connection: PostgresConnection
        init(_ connection: PostgresConnection) { self.connection = connection }
    }

    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)
    private let stoppedSignal = DispatchSemaphore(value: 0)
    public let maximumBatch: Int
    public let maximumQueue: Int

    public init(url: String, maximumBatch: Int = 1_000, maximumQueue: Int = 100_000) throws {
        precondition(maximumBatch > 0 && maximumQueue >= maximumBatch, "bounds")
        self.maximumBatch = maximumBatch
        self.maximumQueue = maximumQueue
        let owned = Owned(try PostgresConnection(url: url))
        Thread { [self] in self.loop(owned.connection) }.start()
    }

    /// Transactions committed or rolled back, and batches replayed in savepoints.
    public var statistics: (transactions: Int, replays: Int) { state.withLock { ($0.transactions, $0.replays) } }

    /// Queues `body`; `completion` runs on the writer thread after the commit (or the failure).
    public func submit<T>(_ body: @escaping @Sendable (PostgresConnection) throws -> T,
                          completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        let box = Box<T>()
        let job = Job(run: { connection in box.value = try body(connection) },
                      fail: { completion(.failure($0)) },
                      finish: { completion(.success(box.value!)) })
        let refusal = state.withLock { state -> (any Error)? in
            if state.stopped { return WriterClosedError() }
            if state.jobs.count >= maximumQueue { return WriterFullError(queued: state.jobs.count) }
            state.jobs.append(job)
            return nil
        }
        if let refusal { return completion(.failure(refusal)) }
        wakeUp.signal()
    }

    /// `submit`, waiting for the answer: for a thread of the caller's own, never the concurrency pool.
    public func write<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Result<T, any Error>?>(nil)
        submit(body) { outcome in
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        return try result.withLock { $0! }.get()
    }

    /// Stops after the jobs already queued are committed.
    public func stop() {
        let running = state.withLock { state -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard running else { return }
        wakeUp.signal()
        stoppedSignal.wait()
    }

    private func loop(_ connection: PostgresConnection) {
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
                // A server restart broke the connection: make it again before the batch.
                if !connection.isConnected { try? connection.reconnect() }
                commit(batch, on: connection)
            }
        }
    }

    private enum Outcome {
        case committed(succeeded: [Job], failed: [(Job, any Error)])
        case wroteThenFailed(index: Int, error: any Error)
        case failed(any Error)
    }

    private func commit(_ batch: [Job], on connection: PostgresConnection) {
        var batch = batch, inSavepoints = false
        while !batch.isEmpty {
            let outcome = transaction(batch, on: connection, inSavepoints: inSavepoints)
            state.withLock { $0.transactions += 1 }
            switch outcome {
            case .committed(let succeeded, let failed):
                for job in succeeded { job.finish() }
                for (job, error) in failed { job.fail(error) }
                return
            case .wroteThenFailed(let index, let error):
                state.withLock { $0.replays += 1 }
                batch.remove(at: index).fail(error)
                inSavepoints = true
            case .failed(let error):
                for job in batch { job.fail(error) }
                return
            }
        }
    }

    private func transaction(_ batch: [Job], on connection: PostgresConnection, inSavepoints: Bool) -> Outcome {
        do { try connection.execute("BEGIN") } catch { return .failed(error) }
        var succeeded: [Job] = [], failed: [(Job, any Error)] = []
        for (index, job) in batch.enumerated() {
            if inSavepoints {
                do {
                    try connection.execute("SAVEPOINT job")
                    do {
                        try job.run(connection)
                        try connection.execute("RELEASE SAVEPOINT job")
                        succeeded.append(job)
                    } catch {
                        try connection.execute("ROLLBACK TO SAVEPOINT job")
                        failed.append((job, error))
                    }
                } catch {
                    try? connection.execute("ROLLBACK")
                    return .failed(error)
                }
                continue
            }
            let changesBefore = connection.changes
            do {
                try job.run(connection)
                succeeded.append(job)
            } catch {
                // Refused before writing: nothing of its own to undo, the transaction stands.
                guard connection.changes == changesBefore, !connection.transactionFailed else {
                    try? connection.execute("ROLLBACK")
                    return .wroteThenFailed(index: index, error: error)
                }
                failed.append((job, error))
            }
        }
        do {
            try connection.execute("COMMIT")
        } catch {
            if connection.isConnected { try? connection.execute("ROLLBACK") }
            return .failed(error)
        }
        return .committed(succeeded: succeeded, failed: failed)
    }
}

/// Carries one job's result from `run` to `finish`, both on the writer thread.
private final class Box<T>: @unchecked Sendable {
    var value: T?
}

public struct WriterClosedError: Error, CustomStringConvertible {
    public var description: String { "the writer is stopped" }
}

/// The queue is full: the caller answers 503 rather than queue without bound.
public struct WriterFullError: Error, CustomStringConvertible {
    public var queued: Int
    public var description: String { "the writer's queue is full (\(queued) jobs)" }
}
