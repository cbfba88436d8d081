import Foundation
import Testing
import TuanPostgres

/// Scheduled work runs on one node at a time and moves when its node dies (issue 25): a lease
/// held by one session is refused to another, and freed by the server when the holder's
/// connection ends, as a killed node's does.
@Suite(.enabled(if: !TestPostgres.skipped, "TUAN_SKIP_POSTGRES=1"))
struct PostgresLeaseTests {
    @Test func oneHolderAtATimeAndTheLeaseMovesWhenItsSessionEnds() throws {
        let schema = try TestPostgres.Schema()
        let name = "campaign_close " + schema.name
        var holder: PostgresConnection? = try schema.connect()
        let other = try schema.connect()
        #expect(try PostgresLease.tryAcquire(name, on: holder!))
        #expect(try !PostgresLease.tryAcquire(name, on: other), "held by another session")
        #expect(try PostgresLease.tryAcquire("team_expiry " + schema.name, on: other), "another kind of work is its own lease")
        // Released and taken back.
        #expect(try PostgresLease.release(name, on: holder!))
        #expect(try !PostgresLease.release(name, on: holder!), "no longer held")
        #expect(try PostgresLease.tryAcquire(name, on: holder!))
        // The holder's node dies: its connection ends, and the server frees the lease.
        holder = nil
        var moved = false
        for _ in 0..<100 where !moved {
            moved = try PostgresLease.tryAcquire(name, on: other)
            if !moved { Thread.sleep(forTimeInterval: 0.02) }
        }
        #expect(moved, "the lease moved to the surviving session")
        #expect(holder == nil)
    }

    @Test func keysAreTheSameOnEveryNode() {
        // FNV-1a's published value for "a", and distinct kinds of work apart.
        #expect(PostgresLease.key("a") == Int64(bitPattern: 0xaf63_dc4c_8601_ec8c))
        #expect(PostgresLease.key("campaign_close") != PostgresLease.key("team_expiry"))
        #expect(PostgresLease.key("") == Int64(bitPattern: 0xcbf2_9ce4_8422_2325))
    }
}
