import CSQLite
import Foundation

/// The SQLite half of backup and restore: copying a live database in one snapshot, syncing
/// files, and emptying a log. What a copy must hold to count as good is the caller's rule.
public enum SQLiteBackup {
    /// The whole database in one `sqlite3_backup_step(-1)`: one read transaction, so one
    /// snapshot, while the writer goes on committing. The copy is a self-contained
    /// rollback-journal file, with no log beside it.
    public static func copy(from source: SQLiteConnection, toPath path: String) throws {
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
        _ = sqlite3_exec(destination, "PRAGMA journal_mode = DELETE", nil, nil, nil)
    }

    /// `integrity_check`'s findings: empty when the file is sound.
    public static func integrityProblems(of connection: SQLiteConnection) throws -> [String] {
        let check = try connection.query("PRAGMA integrity_check", []) { $0.string(0) }
        return check == ["ok"] ? [] : check
    }

    /// Copies every committed frame of `path`'s log into the database file and truncates the
    /// log; refuses if something holds the database and the log could not be emptied.
    public static func checkpointCompletely(_ path: String) throws {
        let connection = try SQLiteConnection(path: path)
        let result = try connection.queryOne("PRAGMA wal_checkpoint(TRUNCATE)") { ($0.int(0), $0.int(1), $0.int(2)) }
        guard let (busy, _, _) = result, busy == 0 else {
            throw StorageError(.conflict, field: "db", "\(path) is in use: its log could not be checkpointed; not restored")
        }
    }

    /// Renames `staging` over `target` and syncs the directory, so the rename survives a crash.
    public static func replace(_ target: String, with staging: String) throws {
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
        guard rename(staging, target) == 0 else { throw StorageError(.conflict, "cannot replace \(target): errno \(errno)") }
        let directory = (target as NSString).deletingLastPathComponent
        try fsync(path: directory.isEmpty ? "." : directory)
    }

    public static func fsync(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw StorageError(.notFound, "cannot open \(path) to sync it") }
        defer { close(fd) }
        guard Glibc.fsync(fd) == 0 else { throw StorageError(.conflict, "fsync of \(path) failed: errno \(errno)") }
    }
}
