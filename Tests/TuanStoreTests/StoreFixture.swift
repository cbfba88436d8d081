import Foundation
import TuanApp
import TuanDomain
import TuanTesting
@testable import TuanSQLite
@testable import TuanStore

/// The store tests' view of the one store fixture (`TestDatabase`): the store beneath the
/// application, opened with the checkpoint thresholds a test asks for, and shorthands.
final class StoreFixture: @unchecked Sendable {
    let database: TestDatabase
    let t0 = Timestamp(seconds: 1_800_000_000)
    private var campaignsSeeded = 0

    init(checkpoints: Checkpointer.Thresholds = Checkpointer.Thresholds()) throws {
        database = try TestDatabase { path in
            SQLiteEngine(store: try Store(path: path, readers: 4, checkpoints: checkpoints, migrate: Migrations.apply(to:)))
        }
    }

    var store: Store { database.store }
    var directory: URL { database.directory }
    /// The application over the same store: tests of the store drive it the way the service does.
    var app: TuanApplication { database.app }

    /// The use cases inside a transaction the test holds (several in one, or beside raw reads).
    func tx(_ db: SQLiteRepositories) -> AppTransaction { AppTransaction(app: app, repositories: db) }

    /// A supplier, a product of its own and one open campaign (`Seed.campaign`); returns the
    /// campaign id. `price`, when given, is the one tier's price instead of the 10.00 / 8.00 ladder.
    func seedCampaign(threshold: Int64 = 10, cap: Int64? = 50, deposit: Int64 = 100, maxPerPledge: Int64? = nil,
                      price: Int64? = nil) throws -> Int64 {
        campaignsSeeded += 1
        return try Seed(app, at: t0).campaign(sku: "sku-\(campaignsSeeded)", threshold: threshold, cap: cap, deposit: deposit,
                                              price: price, maxPerPledge: maxPerPledge).id
    }

    func pledge(_ campaign: Int64, _ consumer: String, _ quantity: Int64, key: String? = nil, at: Timestamp? = nil) throws -> PledgeOutcome {
        let now = at ?? t0.adding(seconds: 60)
        let request = try PledgeRequest(consumerID: consumer, quantity: quantity, idempotencyKey: key ?? UUID().uuidString)
        return try app.placePledge(campaignID: campaign, request: request, scope: "test", at: now).runBlocking()
    }

    /// A new database file beside the store's, migrated only up to `version`: for testing the
    /// migrations after it on data written the old way.
    func database(atSchemaVersion version: Int) throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: directory.appendingPathComponent("v\(version).db").path)
        try connection.execute("CREATE TABLE schema_migrations(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
        for migration in Migrations.all where migration.version <= version {
            try connection.execute(migration.sql)
            try connection.run("INSERT INTO schema_migrations(version, applied_at) VALUES (?, 0)", [.integer(Int64(migration.version))])
        }
        return connection
    }

    func checkLedger() throws -> (balanced: Bool, runningMatchesPostings: Bool, escrowMatchesDeposits: Bool) {
        try store.readSync { db in
            let running = try db.ledgerBalances()
            let audit = try db.ledgerBalancesFromPostings()
            let held = try db.depositsHeld()["CNY"] ?? 0
            return (running.isBalanced, running == audit, running.escrowHeld(currency: "CNY") == held)
        }
    }
}
