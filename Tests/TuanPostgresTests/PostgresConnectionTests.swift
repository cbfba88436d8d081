import Foundation
import Synchronization
import Testing
import TuanPostgres

/// The libpq connection (issue 25's first layer) against a real server on loopback: values at
/// their bounds, errors by SQLSTATE, transactions, timeouts, and the two patterns the engine's
/// several nodes rely on, under real concurrency: a conditional update that holds a cap exactly,
/// and a queue claimed with `FOR UPDATE SKIP LOCKED` that hands each row to one worker.
@Suite(.enabled(if: !TestPostgres.skipped, "TUAN_SKIP_POSTGRES=1"))
struct PostgresConnectionTests {
    @Test func valuesRoundTripAtTheirBounds() throws {
        let schema = try TestPostgres.Schema(), db = try schema.connect()
        try db.execute("CREATE TABLE v (id bigint PRIMARY KEY, n bigint, t text)")
        let texts = ["", "团购 'quoted' \"double\" \\ back; DROP TABLE v; --", "🍊\u{2028}\t\n", String(repeating: "x", count: 100_000)]
        let rows: [(Int64, Int64?, String?)] = [(1, .max, texts[0]), (2, .min, texts[1]), (3, 0, texts[2]), (4, nil, nil), (5, -1, texts[3])]
        for (id, n, t) in rows {
            #expect(try db.run("INSERT INTO v VALUES ($1, $2, $3)", [.integer(id), PostgresValue(n), PostgresValue(t)]) == 1)
        }
        let read = try db.query("SELECT id, n, t FROM v ORDER BY id") { ($0.int(0), $0.optionalInt(1), $0.optionalString(2)) }
        #expect(read.map(\.0) == rows.map(\.0) && read.map(\.1) == rows.map(\.1) && read.map(\.2) == rows.map(\.2))
        #expect(try db.queryOne("SELECT count(*) FROM v", []) { $0.int(0) } == 5, "the injection attempt was a value")
        #expect(try db.queryOne("SELECT $1::bigint + 1", [.integer(41)]) { $0.int(0) } == 42)
        #expect(try db.queryOne("SELECT true, false", []) { [$0.bool(0), $0.bool(1)] } == [true, false])
    }

    @Test func errorsCarryTheirSQLState() throws {
        let schema = try TestPostgres.Schema(), db = try schema.connect()
        try db.execute("CREATE TABLE c (id bigint PRIMARY KEY, units bigint NOT NULL CHECK (units >= 0))")
        try db.run("INSERT INTO c VALUES (1, 0)")
        func state(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch let error as PostgresError { return error.sqlState } catch { return "not a PostgresError" }
        }
        #expect(state { try db.run("INSERT INTO c VALUES (1, 0)") } == "23505")
        #expect(state { try db.run("UPDATE c SET units = units - 1 WHERE id = 1") } == "23514")
        #expect(state { try db.run("INSERT INTO c VALUES ($1, 0)", [.text("one")]) } == "22P02")
        #expect(state { try db.run("SELEC 1") } == "42601")
        #expect(state { try db.run("SELECT $1::bigint + 1", [.integer(.max)]) } == "22003", "overflow is an error, not a wrap")
        // The connection stands after each.
        #expect(try db.queryOne("SELECT units FROM c WHERE id = 1", []) { $0.int(0) } == 0)
    }

    @Test func aTransactionThatThrowsLeavesNothing() throws {
        let schema = try TestPostgres.Schema(), db = try schema.connect()
        try db.execute("CREATE TABLE t (id bigint PRIMARY KEY)")
        struct Planted: Error {}
        #expect(throws: Planted.self) {
            try db.transaction {
                try db.run("INSERT INTO t VALUES (1)")
                throw Planted()
            }
        }
        #expect(throws: PostgresError.self) {
            try db.transaction {
                try db.run("INSERT INTO t VALUES (2)")
                try db.run("INSERT INTO t VALUES (2)")
            }
        }
        let committed = try db.transaction { try db.run("INSERT INTO t VALUES (3)") }
        #expect(committed == 1)
        #expect(try db.query("SELECT id FROM t", []) { $0.int(0) } == [3])
    }

    @Test func aServerThatIsNotThereFailsWithinTheTimeout() throws {
        let started = Date()
        #expect(throws: PostgresError.self) { try PostgresConnection(url: "postgres://tuan@127.0.0.1:1/tuan", connectTimeoutSeconds: 2) }
        #expect(Date().timeIntervalSince(started) < 10)
        // A statement over its timeout is cancelled by the server.
        let schema = try TestPostgres.Schema()
        let slow = try PostgresConnection(url: schema.url, statementTimeoutMilliseconds: 200)
        #expect(throws: PostgresError.self) { try slow.run("SELECT pg_sleep(5)") }
        #expect(try slow.queryOne("SELECT 1", []) { $0.int(0) } == 1)
    }

    /// Pledges racing on four connections: each takes its units only if the cap still holds
    /// them, in one statement, so no read-then-write crosses the network. The units taken are
    /// exactly the accepted ones, never past the cap.
    @Test func racingConditionalUpdatesHoldACapExactly() throws {
        let schema = try TestPostgres.Schema(), setup = try schema.connect()
        try setup.execute("CREATE TABLE campaign (id bigint PRIMARY KEY, cap bigint NOT NULL, pledged bigint NOT NULL CHECK (pledged <= cap))")
        try setup.run("INSERT INTO campaign VALUES (1, 1000, 0)")
        let accepted = Mutex<[Int64]>([]), failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            do {
                let db = try schema.connect()
                var generator = SystemRandomNumberGenerator()
                for _ in 0..<300 {
                    let units = Int64.random(in: 1...3, using: &generator)
                    let taken = try db.run("UPDATE campaign SET pledged = pledged + $1 WHERE id = 1 AND pledged + $1 <= cap", [.integer(units)])
                    if taken == 1 { accepted.withLock { $0.append(units) } }
                }
            } catch {
                failures.withLock { $0.append("worker \(worker): \(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        let pledged = try setup.queryOne("SELECT pledged FROM campaign WHERE id = 1", []) { $0.int(0) }!
        let sum = accepted.withLock { $0.reduce(0, +) }
        #expect(pledged == sum && pledged <= 1000 && pledged > 1000 - 3, "pledged \(pledged), accepted \(sum)")
    }

    /// Four delivery workers claim a queue in batches with `FOR UPDATE SKIP LOCKED`: every row is
    /// claimed, by exactly one of them, none waiting on another's lock.
    @Test func skipLockedHandsEachRowToOneWorker() throws {
        let schema = try TestPostgres.Schema(), setup = try schema.connect()
        try setup.execute("""
            CREATE TABLE outbox (id bigint PRIMARY KEY, claimed_by int);
            INSERT INTO outbox SELECT g, NULL FROM generate_series(1, 600) g;
            """)
        let claims = Mutex<[Int64: [Int]]>([:]), failures = Mutex<[String]>([])
        // Each holds its claim for a moment, so the claims of workers running side by side overlap.
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            do {
                let db = try schema.connect()
                while true {
                    let ids = try db.transaction {
                        let ids = try db.query("SELECT id FROM outbox WHERE claimed_by IS NULL ORDER BY id LIMIT 7 FOR UPDATE SKIP LOCKED", []) { $0.int(0) }
                        guard !ids.isEmpty else { return ids }
                        try db.run("SELECT pg_sleep(0.001)")
                        let list = "{" + ids.map(String.init).joined(separator: ",") + "}"
                        try db.run("UPDATE outbox SET claimed_by = $1 WHERE id = ANY($2::bigint[])", [.integer(Int64(worker)), .text(list)])
                        return ids
                    }
                    if ids.isEmpty { break }
                    claims.withLock { for id in ids { $0[id, default: []].append(worker) } }
                }
            } catch {
                failures.withLock { $0.append("worker \(worker): \(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        let all = claims.withLock { $0 }
        #expect(all.count == 600 && all.values.allSatisfy { $0.count == 1 })
        #expect(try setup.queryOne("SELECT count(*) FROM outbox WHERE claimed_by IS NULL", []) { $0.int(0) } == 0)
    }
}
