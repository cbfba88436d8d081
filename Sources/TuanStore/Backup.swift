import CSQLite
import Foundation
import TuanDomain

/// Online backup and checked restore. A backup is a consistent copy taken with SQLite's
/// backup API in one step, inside one read transaction: in WAL mode the writer goes on
/// committing meanwhile, and the copy holds exactly the commits before it began.
public enum Backup {
    /// What a backup file holds, checked: it opens, passes `integrity_check`, has a schema this
    /// build knows, and its ledger balances and agrees with its postings.
    public struct Verification: Sendable {
        public var schemaVersion: Int
        public var pledges: Int64
        public var journalEntries: Int64
        public var ledgerBalanced: Bool
    }

    /// Copies the database at `source` to `destination` (which must not exist), fsyncs it and
    /// verifies it.
    public static func take(from source: String, to destination: String) throws -> Verification {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw DomainError(.conflict, field: "out", "\(destination) already exists")
        }
        let from = try SQLiteConnection(path: source, readOnly: true)
        let partial = destination + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            try copy(from: from, toPath: partial)
            try fsync(path: partial)
            let verification = try verify(partial)
            try FileManager.default.moveItem(atPath: partial, toPath: destination)
            return verification
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }

    /// Checks `path` as `take` does, without changing it.
    public static func verify(_ path: String) throws -> Verification {
        guard FileManager.default.fileExists(atPath: path) else { throw DomainError(.notFound, field: "from", "\(path) does not exist") }
        let connection = try SQLiteConnection(path: path, readOnly: true)
        let check = try connection.query("PRAGMA integrity_check", []) { $0.string(0) }
        guard check == ["ok"] else {
            throw DomainError(.invalidField, field: "from", "\(path) fails integrity_check: \(check.prefix(3).joined(separator: "; "))")
        }
        guard let version = try connection.scalarInt("SELECT MAX(version) FROM schema_migrations").map(Int.init) else {
            throw DomainError(.invalidField, field: "from", "\(path) is not a Tuan database (no schema_migrations)")
        }
        guard version <= Migrations.latestVersion else {
            throw DomainError(.invalidField, field: "from", "\(path) has schema \(version), newer than this build's \(Migrations.latestVersion)")
        }
        let database = Database(connection: connection)
        let running = try database.ledgerBalances(), audit = try database.ledgerBalancesFromPostings()
        return Verification(schemaVersion: version, pledges: try connection.scalarInt("SELECT COUNT(*) FROM pledges") ?? 0,
                            journalEntries: try database.journalEntryCount(), ledgerBalanced: running.isBalanced && running == audit)
    }

    /// Replaces the database at `target` with the verified backup at `backup`: the backup is
    /// first copied beside the target and synced; the old database's log is checkpointed into
    /// it and emptied (so removing it loses nothing); then the copy is renamed over it. A crash
    /// at any point leaves either the whole old database or the new one, never a mix.
    /// The caller must make sure no server has `target` open.
    public static func restore(from backup: String, to target: String) throws -> Verification {
        let verification = try verify(backup)
        guard verification.ledgerBalanced else {
            throw DomainError(.unbalanced, field: "from", "\(backup)'s ledger does not balance; not restored")
        }
        let staging = target + ".restoring"
        try? FileManager.default.removeItem(atPath: staging)
        do {
            try copy(from: try SQLiteConnection(path: backup, readOnly: true), toPath: staging)
            try fsync(path: staging)
            _ = try verify(staging)
            if FileManager.default.fileExists(atPath: target) { try checkpointCompletely(target) }
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
            guard rename(staging, target) == 0 else { throw DomainError(.conflict, "cannot replace \(target): errno \(errno)") }
            try fsync(path: (target as NSString).deletingLastPathComponent.isEmpty ? "." : (target as NSString).deletingLastPathComponent)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        return verification
    }

    /// Copies every committed frame of `path`'s log into the database file and truncates the
    /// log; refuses if something holds the database and the log could not be emptied.
    private static func checkpointCompletely(_ path: String) throws {
        let connection = try SQLiteConnection(path: path)
        let result = try connection.queryOne("PRAGMA wal_checkpoint(TRUNCATE)") { ($0.int(0), $0.int(1), $0.int(2)) }
        guard let (busy, _, _) = result, busy == 0 else {
            throw DomainError(.conflict, field: "db", "\(path) is in use: its log could not be checkpointed; not restored")
        }
    }

    /// The whole database in one `sqlite3_backup_step(-1)`: one read transaction, so one snapshot.
    private static func copy(from source: SQLiteConnection, toPath path: String) throws {
        var destination: OpaquePointer?
        guard sqlite3_open_v2(path, &destination, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let destination else {
            sqlite3_close_v2(destination)
            throw SQLiteError(code: SQLITE_CANTOPEN, message: "cannot create \(path)", sql: nil)
        }
        defer { sqlite3_close_v2(destination) }
        guard let backup = sqlite3_backup_init(destination, "main", source.handle, "main") else {
            throw SQLiteError(code: sqlite3_errcode(destination), message: String(cString: sqlite3_errmsg(destination)), sql: nil)
        }
        var rc: Int32
        repeat {
            rc = sqlite3_backup_step(backup, -1)
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { usleep(10_000) }
        } while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED
        sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE else {
            throw SQLiteError(code: rc, message: "backup failed: \(String(cString: sqlite3_errstr(rc)))", sql: nil)
        }
        // The copy is a plain rollback-journal file: self-contained, no WAL beside it.
        _ = sqlite3_exec(destination, "PRAGMA journal_mode = DELETE", nil, nil, nil)
    }

    private static func fsync(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DomainError(.notFound, "cannot open \(path) to sync it") }
        defer { close(fd) }
        guard Glibc.fsync(fd) == 0 else { throw DomainError(.conflict, "fsync of \(path) failed: errno \(errno)") }
    }
}
