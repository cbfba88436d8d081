import Foundation
import Synchronization
import Testing
import TuanPostgres

/// Group commit on PostgreSQL (issue 25): jobs that queue while the writer is busy commit in one
/// transaction; one bad job in a batch (a statement that fails, a refusal after writing, a
/// refusal before) gets its own error and never blocks the others; a full queue refuses.
@Suite(.enabled(if: !TestPostgres.skipped, "TUAN_SKIP_POSTGRES=1"))
struct PostgresWriterTests {
    struct Refused: Error {}

    /// Queues `jobs` behind one that holds the writer for a moment, so they form one batch, and
    /// waits for every answer.
    static func batch<T: Sendable>(_ writer: PostgresWriter, _ jobs: [@Sendable (PostgresConnection) throws -> T]) -> [Result<T, any Error>] {
        let results = Mutex<[Int: Result<T, any Error>]>([:])
        let done = DispatchGroup()
        done.enter()
        writer.submit({ try $0.run("SELECT pg_sleep(0.2)") }) { _ in done.leave() }
        for (index, job) in jobs.enumerated() {
            done.enter()
            writer.submit(job) { result in
                results.withLock { $0[index] = result }
                done.leave()
            }
        }
        done.wait()
        return results.withLock { all in (0..<jobs.count).map { all[$0]! } }
    }

    @Test func jobsQueuedTogetherCommitInOneTransaction() throws {
        let schema = try TestPostgres.Schema(), setup = try schema.connect()
        try setup.execute("CREATE TABLE p (id bigint PRIMARY KEY, units bigint NOT NULL)")
        let writer = try PostgresWriter(url: schema.url + "?options=-csearch_path%3D\(schema.name)")
        defer { writer.stop() }
        let before = writer.statistics.transactions
        let results = Self.batch(writer, (1...400).map { id in { db in try db.run("INSERT INTO p VALUES ($1, 1)", [.integer(Int64(id))]) } })
        #expect(results.allSatisfy { (try? $0.get()) == 1 })
        // The sleeper's transaction, then one (or a few, if the writer woke between submits).
        #expect(writer.statistics.transactions - before <= 3, "\(writer.statistics)")
        // Answered after COMMIT: another connection sees every row.
        #expect(try setup.queryOne("SELECT count(*) FROM p", []) { $0.int(0) } == 400)
    }

    @Test func oneBadJobNeverBlocksTheOthers() throws {
        let schema = try TestPostgres.Schema(), setup = try schema.connect()
        try setup.execute("CREATE TABLE p (id bigint PRIMARY KEY, units bigint NOT NULL CHECK (units > 0))")
        try setup.run("INSERT INTO p VALUES (0, 1)")
        let writer = try PostgresWriter(url: schema.url + "?options=-csearch_path%3D\(schema.name)")
        defer { writer.stop() }
        var jobs: [@Sendable (PostgresConnection) throws -> Int] = (1...30).map { id in { db in try db.run("INSERT INTO p VALUES ($1, 1)", [.integer(Int64(id))]) } }
        // A statement that fails (it aborts PostgreSQL's transaction), a refusal after writing,
        // and a refusal before writing, among the good ones.
        jobs[3] = { db in try db.run("INSERT INTO p VALUES (0, 1)") }
        jobs[10] = { db in try db.run("INSERT INTO p VALUES (11, 1)"); throw Refused() }
        jobs[20] = { _ in throw Refused() }
        let results = Self.batch(writer, jobs)
        for (index, result) in results.enumerated() {
            switch index {
            case 3: #expect((try? result.get()) == nil && { if case .failure(let e as PostgresError) = result { e.isUniqueViolation } else { false } }())
            case 10, 20: #expect({ if case .failure(is Refused) = result { true } else { false } }(), "job \(index)")
            default: #expect((try? result.get()) == 1, "job \(index)")
            }
        }
        let ids = try setup.query("SELECT id FROM p ORDER BY id", []) { $0.int(0) }
        #expect(ids == [0] + (1...30).map(Int64.init).filter { ![4, 11, 21].contains($0) }, "the failed jobs' writes undone, the rest kept")
        #expect(writer.statistics.replays >= 1)
    }

    @Test func aRefusalBeforeWritingNeedsNoReplay() throws {
        let schema = try TestPostgres.Schema(), setup = try schema.connect()
        try setup.execute("CREATE TABLE p (id bigint PRIMARY KEY)")
        let writer = try PostgresWriter(url: schema.url + "?options=-csearch_path%3D\(schema.name)")
        defer { writer.stop() }
        let results = Self.batch(writer, (1...20).map { id in { db in
            if id % 5 == 0 { throw Refused() }
            return try db.run("INSERT INTO p VALUES ($1)", [.integer(Int64(id))])
        } })
        #expect(results.filter { (try? $0.get()) == 1 }.count == 16)
        #expect(writer.statistics.replays == 0)
        #expect(try setup.queryOne("SELECT count(*) FROM p", []) { $0.int(0) } == 16)
    }

    @Test func aFullQueueRefusesAndAStoppedWriterToo() throws {
        let schema = try TestPostgres.Schema()
        let writer = try PostgresWriter(url: schema.url, maximumBatch: 1, maximumQueue: 2)
        let refused = Mutex<[String]>([])
        let done = DispatchGroup()
        for _ in 0..<6 {
            done.enter()
            writer.submit({ try $0.run("SELECT pg_sleep(0.05)") }) { result in
                if case .failure(let error) = result { refused.withLock { $0.append(String(describing: type(of: error))) } }
                done.leave()
            }
        }
        done.wait()
        #expect(refused.withLock { $0 }.contains("WriterFullError"), "\(refused.withLock { $0 })")
        writer.stop()
        #expect(throws: WriterClosedError.self) { try writer.write { try $0.run("SELECT 1") } }
    }
}
