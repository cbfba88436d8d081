import Foundation
import TuanApp
import TuanDomain
@testable import TuanSQLite
@testable import TuanStore

/// A store on its own temporary file, removed when the fixture goes away.
final class StoreFixture: @unchecked Sendable {
    let directory: URL
    let store: Store
    /// The application over the same store: tests of the store drive it the way the service does.
    let app: TuanApplication
    let t0 = Timestamp(seconds: 1_800_000_000)

    init(checkpoints: Checkpointer.Thresholds = Checkpointer.Thresholds()) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tuan-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try Store(path: directory.appendingPathComponent("test.db").path, readers: 4, checkpoints: checkpoints,
                          migrate: Migrations.apply(to:))
        app = TuanApplication(engine: SQLiteEngine(store: store))
    }

    /// The use cases inside a transaction the test holds (several in one, or beside raw reads).
    func tx(_ db: SQLiteRepositories) -> AppTransaction { AppTransaction(app: app, repositories: db) }

    deinit {
        store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A supplier, a product and one open campaign; returns the campaign id.
    /// `price`, when given, is the one tier's price instead of the 10.00 / 8.00 ladder.
    func seedCampaign(threshold: Int64 = 10, cap: Int64? = 50, deposit: Int64 = 100, maxPerPledge: Int64? = nil,
                      price: Int64? = nil) throws -> Int64 {
        let t0 = self.t0
        return try store.writeSync { db in
            let supplier = try self.tx(db).createSupplier(name: "Farm", endpointURL: nil, webhookSecret: "whsec_x", at: t0)
            let sku = "sku-\(supplier.id)"
            try self.tx(db).createProduct(try Product(sku: sku, supplierID: supplier.id, name: "Tea", casePack: 6, minimumOrderQuantity: 12,
                                             unitCost: Money(minor: 400, currency: .cny), capacity: nil), at: t0)
            let draft = try CampaignDraft(
                sku: sku, title: "Tea", opensAt: t0, closesAt: t0.adding(days: 7), threshold: threshold, cap: cap,
                tiers: price.map { [PriceTier(minQuantity: 1, unitPrice: Money(minor: $0, currency: .cny))] }
                    ?? [PriceTier(minQuantity: 1, unitPrice: Money(minor: 1000, currency: .cny)),
                        PriceTier(minQuantity: 20, unitPrice: Money(minor: 800, currency: .cny))],
                depositPerUnit: Money(minor: deposit, currency: .cny), maxPerPledge: maxPerPledge)
            return try self.tx(db).createCampaign(draft, publish: true, at: t0).id
        }
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
