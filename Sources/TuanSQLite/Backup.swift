import Foundation
import TuanDomain
import TuanStore

/// Online backup and checked restore. A backup is a consistent copy taken with SQLite's
/// backup API in one step, inside one read transaction: in WAL mode the writer goes on
/// committing meanwhile, and the copy holds exactly the commits before it began.
public enum Backup {
    /// What a backup file holds, checked: it opens, passes `integrity_check`, has a schema this
    /// build knows, and its ledger balances, agrees with its postings, and owes exactly the
    /// refunds on record as due.
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
            throw StorageError(.conflict, field: "out", "\(destination) already exists")
        }
        let from = try SQLiteConnection(path: source, readOnly: true)
        let partial = destination + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            try SQLiteBackup.copy(from: from, toPath: partial)
            try SQLiteBackup.fsync(path: partial)
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
        guard FileManager.default.fileExists(atPath: path) else { throw StorageError(.notFound, field: "from", "\(path) does not exist") }
        let connection = try SQLiteConnection(path: path, readOnly: true)
        let check = try SQLiteBackup.integrityProblems(of: connection)
        guard check.isEmpty else {
            throw StorageError(.invalid, field: "from", "\(path) fails integrity_check: \(check.prefix(3).joined(separator: "; "))")
        }
        guard let version = try connection.scalarInt("SELECT MAX(version) FROM schema_migrations").map(Int.init) else {
            throw StorageError(.invalid, field: "from", "\(path) is not a Tuan database (no schema_migrations)")
        }
        guard version <= Migrations.latestVersion else {
            throw StorageError(.invalid, field: "from", "\(path) has schema \(version), newer than this build's \(Migrations.latestVersion)")
        }
        let database = SQLiteRepositories(connection: connection)
        let running = try database.ledgerBalances(), audit = try database.ledgerBalancesFromPostings()
        // Refunds are on record from schema 14; before, the liability did not exist.
        let refundsDue = version >= 14 ? try database.refundsDue() : [:]
        return Verification(schemaVersion: version, pledges: try connection.scalarInt("SELECT COUNT(*) FROM pledges") ?? 0,
                            journalEntries: try database.journalEntryCount(),
                            ledgerBalanced: running.isBalanced && running == audit && running.owesExactly(refundsDue: refundsDue))
    }

    /// Replaces the database at `target` with the verified backup at `backup`: the backup is
    /// first copied beside the target and synced; the old database's log is checkpointed into
    /// it and emptied (so removing it loses nothing); then the copy is renamed over it. A crash
    /// at any point leaves either the whole old database or the new one, never a mix.
    /// The caller must make sure no server has `target` open.
    public static func restore(from backup: String, to target: String) throws -> Verification {
        let verification = try verify(backup)
        guard verification.ledgerBalanced else {
            throw StorageError(.unbalanced, field: "from", "\(backup)'s ledger does not balance; not restored")
        }
        let staging = target + ".restoring"
        try? FileManager.default.removeItem(atPath: staging)
        do {
            try SQLiteBackup.copy(from: try SQLiteConnection(path: backup, readOnly: true), toPath: staging)
            try SQLiteBackup.fsync(path: staging)
            _ = try verify(staging)
            if FileManager.default.fileExists(atPath: target) { try SQLiteBackup.checkpointCompletely(target) }
            try SQLiteBackup.replace(target, with: staging)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        return verification
    }
}
