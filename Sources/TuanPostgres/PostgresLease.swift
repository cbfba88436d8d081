/// Work that must run on one node at a time (closing due campaigns, expiring teams, a cut-off, the
/// default sweep): held through a PostgreSQL session advisory lock. The server releases it when
/// the holder's session ends, so when a node dies its work moves to the next node that asks, with
/// no expiry to tune and nothing left claimed. The lock is the session's: hold it on a connection
/// kept for the purpose, not on one a pool hands around.
public enum PostgresLease {
    /// The lock's key for `name`: FNV-1a over its UTF-8, the same on every node and every run
    /// (Swift's `Hasher` is seeded per process, so it would not be).
    public static func key(_ name: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    /// Takes the lease if no other session holds it; never waits. A session that already holds
    /// it takes it again (PostgreSQL counts), and must release it as many times.
    public static func tryAcquire(_ name: String, on connection: PostgresConnection) throws -> Bool {
        try connection.queryOne("SELECT pg_try_advisory_lock($1)", [.integer(key(name))]) { $0.bool(0) } ?? false
    }

    /// Gives it up; false when this session did not hold it.
    @discardableResult
    public static func release(_ name: String, on connection: PostgresConnection) throws -> Bool {
        try connection.queryOne("SELECT pg_advisory_unlock($1)", [.integer(key(name))]) { $0.bool(0) } ?? false
    }
}
