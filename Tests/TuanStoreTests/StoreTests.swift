import Foundation
import Synchronization
import Testing
import TuanApp
import TuanDomain
@testable import TuanSQLite
@testable import TuanStore

@Suite struct StoreTests {
    @Test func migratesAnEmptyFileInWALMode() throws {
        let f = try StoreFixture()
        let (mode, version, sync) = try f.store.readSync { db in
            (try db.connection.scalarString("PRAGMA journal_mode"),
             try db.connection.scalarInt("SELECT MAX(version) FROM schema_migrations"),
             try db.connection.scalarInt("PRAGMA foreign_keys"))
        }
        #expect(mode == "wal")
        #expect(version == Int64(Store.schemaVersion))
        #expect(sync == 1)
        // Reopening applies nothing twice.
        let again = try Store(path: f.store.path)
        again.close()
    }

    /// Migration 6 rebuilds postings clustered by (journal_id, line): every posting survives,
    /// numbered in the order it was written within its entry.
    @Test func migrationSixKeepsEveryPostingInOrder() throws {
        let f = try StoreFixture()
        let connection = try f.database(atSchemaVersion: 5)
        try connection.execute("""
            INSERT INTO journal_entries(id, kind, currency, memo, created_at) VALUES (1, 'deposit_received', 'CNY', '', 0), (2, 'balance_paid', 'CNY', '', 0);
            INSERT INTO postings(journal_id, account, amount_minor) VALUES
                (1, 'cash', 100), (2, 'cash', 7), (1, 'escrow', -60), (2, 'sales', -7), (1, 'sales', -40);
            """)
        try Migrations.apply(to: connection)
        let rows = try connection.query("SELECT journal_id, line, account, amount_minor FROM postings ORDER BY journal_id, line") {
            "\($0.int(0)).\($0.int(1)) \($0.string(2)) \($0.int(3))"
        }
        #expect(rows == ["1.0 cash 100", "1.1 escrow -60", "1.2 sales -40", "2.0 cash 7", "2.1 sales -7"])
        let table = try connection.scalarString("SELECT sql FROM sqlite_master WHERE name = 'postings'")
        #expect(table?.contains("WITHOUT ROWID") == true)
        #expect(try connection.scalarInt("SELECT MAX(version) FROM schema_migrations") == Int64(Migrations.latestVersion))
    }

    /// Migration 7 keeps every running balance and makes the column refuse anything but an
    /// integer: SQLite would otherwise store a sum past Int64 as a REAL.
    @Test func migrationSevenKeepsBalancesAndRefusesReals() throws {
        let f = try StoreFixture()
        let connection = try f.database(atSchemaVersion: 6)
        try connection.execute("INSERT INTO account_balances VALUES ('CNY', 'cash', 500), ('CNY', 'escrow', -500)")
        try Migrations.apply(to: connection)
        let rows = try connection.query("SELECT account, balance_minor FROM account_balances ORDER BY account") { "\($0.string(0)) \($0.int(1))" }
        #expect(rows == ["cash 500", "escrow -500"])
        #expect(throws: SQLiteError.self) {
            try connection.run("UPDATE account_balances SET balance_minor = balance_minor + 9223372036854775807 WHERE account = 'cash'")
        }
        #expect(try connection.scalarInt("SELECT balance_minor FROM account_balances WHERE account = 'cash'") == 500)
    }

    /// Migration 9 rebuilds pledges, journal entries, postings and balances with CHECKs: every
    /// row survives, references still hold, and the indexes are back.
    @Test func migrationNineKeepsEveryRow() throws {
        let f = try StoreFixture()
        let connection = try f.database(atSchemaVersion: 8)
        try connection.execute(Self.supplierAndProduct)
        try connection.execute("""
            INSERT INTO campaigns(id, sku, title, currency, opens_at, closes_at, cancellation_deadline, balance_due_at, threshold,
                                  deposit_minor, max_per_pledge, forfeit_on_default, status, pledged_quantity, pledge_count, created_at)
                VALUES (1, 'p', 'T', 'CNY', 0, 10, 10, 20, 1, 50, 5, 1, 'open', 2, 1, 0);
            INSERT INTO pledges(id, campaign_id, consumer_id, quantity, deposit_minor, currency, idempotency_scope, idempotency_key,
                                fingerprint, status, created_at, updated_at, leader_code)
                VALUES (7, 1, 'alice', 2, 100, 'CNY', 's', 'k', 'f', 'pledged', 1, 1, 'wang');
            INSERT INTO journal_entries(id, kind, currency, campaign_id, pledge_id, memo, created_at) VALUES (3, 'deposit_received', 'CNY', 1, 7, '', 1);
            INSERT INTO postings(journal_id, line, account, amount_minor) VALUES (3, 0, 'cash', 100), (3, 1, 'escrow', -100);
            INSERT INTO account_balances VALUES ('CNY', 'cash', 100), ('CNY', 'escrow', -100);
            """)
        try Migrations.apply(to: connection)
        #expect(try connection.query("SELECT id, consumer_id, status, leader_code FROM pledges") { "\($0.int(0)) \($0.string(1)) \($0.string(2)) \($0.string(3))" }
                == ["7 alice pledged wang"])
        #expect(try connection.query("SELECT j.id, j.kind, p.account, p.amount_minor FROM postings p JOIN journal_entries j ON j.id = p.journal_id ORDER BY p.line") {
            "\($0.int(0)) \($0.string(1)) \($0.string(2)) \($0.int(3))" } == ["3 deposit_received cash 100", "3 deposit_received escrow -100"])
        #expect(try connection.query("SELECT account, balance_minor FROM account_balances ORDER BY account") { "\($0.string(0)) \($0.int(1))" }
                == ["cash 100", "escrow -100"])
        #expect(try connection.query("PRAGMA foreign_key_check") { $0.string(0) }.isEmpty)
        #expect(try connection.query("SELECT name FROM sqlite_master WHERE tbl_name = 'pledges' AND type = 'index' AND sql IS NOT NULL ORDER BY name") { $0.string(0) }
                == ["pledges_by_campaign", "pledges_by_consumer", "pledges_by_leader"])  // migration 12 adds by_consumer
        // A posting must still name an entry that exists.
        #expect(throws: SQLiteError.self) { try connection.run("INSERT INTO postings VALUES (99, 0, 'cash', 1)") }
    }

    /// Supplier 1 and product `p`, as every schema version since the first stores them.
    static let supplierAndProduct = """
            INSERT INTO suppliers(id, name, webhook_secret, created_at) VALUES (1, 'S', 'whsec_x', 0);
            INSERT INTO products(sku, supplier_id, name, case_pack, minimum_order_quantity, unit_cost_minor, currency, category, created_at)
                VALUES ('p', 1, 'P', 1, 0, 100, 'CNY', 'general', 0);
        """

    /// Migration 11: a database that already has subscriptions keeps their UTC Mondays (the
    /// setting says so); one without any has no week zone yet and adopts the deployment's.
    @Test func migrationElevenPinsExistingSubscriptionsToUTC() throws {
        let f = try StoreFixture()
        let withSubscriptions = try f.database(atSchemaVersion: 10)
        try withSubscriptions.execute(Self.supplierAndProduct)
        try withSubscriptions.execute("""
            INSERT INTO subscriptions(consumer_id, sku, quantity, cadence_weeks, first_week, unit_price_minor, deposit_minor, currency,
                                      status, idempotency_scope, idempotency_key, fingerprint, created_at, updated_at)
                VALUES ('ann', 'p', 1, 1, 1796947200, 100, 0, 'CNY', 'active', 's', 'k', 'f', 0, 0);
            """)
        try Migrations.apply(to: withSubscriptions)
        // (Migration 20 adds the pickup code secret to every database.)
        #expect(try withSubscriptions.query("SELECT name, value FROM settings WHERE name <> 'pickup_code_secret'") { "\($0.string(0))=\($0.string(1))" } == ["week_time_zone=UTC"])
        #expect(try withSubscriptions.query("SELECT first_week FROM subscriptions") { $0.int(0) } == [1_796_947_200])
        let empty = try StoreFixture().database(atSchemaVersion: 10)
        try Migrations.apply(to: empty)
        #expect(try empty.query("SELECT name FROM settings WHERE name <> 'pickup_code_secret'") { $0.string(0) }.isEmpty)
        // Each database its own secret: 32 random bytes in hex.
        let secrets = try [withSubscriptions, empty].map { try $0.scalarString("SELECT value FROM settings WHERE name = 'pickup_code_secret'") ?? "" }
        #expect(secrets.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) } && secrets[0] != secrets[1])
        #expect(try empty.query("SELECT time_zone FROM campaigns") { $0.optionalString(0) }.isEmpty)
    }

    /// Migrations 19 and 20 rebuild postings, balances and tokens for new names (the stock
    /// account, the leader role): every row comes through, and the new names are accepted.
    @Test func migrationsNineteenAndTwentyKeepTheLedgerAndTheTokens() throws {
        let f = try StoreFixture()
        let db = try f.database(atSchemaVersion: 18)
        try db.execute("""
            INSERT INTO journal_entries(id, kind, currency, memo, created_at) VALUES (7, 'supplier_payable', 'CNY', 'm', 0);
            INSERT INTO postings(journal_id, line, account, amount_minor) VALUES (7, 0, 'cost_of_goods', 500), (7, 1, 'supplier_payables', -500);
            INSERT INTO account_balances(currency, account, balance_minor) VALUES ('CNY', 'cost_of_goods', 500), ('CNY', 'supplier_payables', -500);
            INSERT INTO api_tokens(token_hash, role, created_at, label) VALUES ('h1', 'planner', 0, 'old');
            """)
        try Migrations.apply(to: db)
        #expect(try db.query("SELECT account, amount_minor FROM postings ORDER BY line") { "\($0.string(0))=\($0.int(1))" } == ["cost_of_goods=500", "supplier_payables=-500"])
        #expect(try db.query("SELECT account, balance_minor FROM account_balances ORDER BY account") { "\($0.string(0))=\($0.int(1))" } == ["cost_of_goods=500", "supplier_payables=-500"])
        #expect(try db.query("SELECT role, label FROM api_tokens") { "\($0.string(0)) \($0.string(1))" } == ["planner old"])
        try db.execute("INSERT INTO postings(journal_id, line, account, amount_minor) VALUES (7, 2, 'stock', 0)")
        #expect(throws: (any Error).self) { try db.execute("INSERT INTO postings(journal_id, line, account, amount_minor) VALUES (7, 3, 'nothing', 0)") }
        #expect(throws: (any Error).self) { try db.execute("INSERT INTO api_tokens(token_hash, role, created_at) VALUES ('h2', 'leader', 0)") }
    }

    /// Migration 23: every pickup point name already in use becomes a record, its leader's when
    /// a leader gave it.
    @Test func migrationTwentyThreeMakesRecordsOfThePickupPointsInUse() throws {
        let f = try StoreFixture()
        let db = try f.database(atSchemaVersion: 22)
        try db.execute(Self.supplierAndProduct)
        try db.execute("""
            INSERT INTO leaders(code, name, pickup_point, commission_bps, member_limit, created_at) VALUES ('wang', 'W', 'Gate 3', 0, 500, 0);
            INSERT INTO campaigns(sku, title, currency, opens_at, closes_at, cancellation_deadline, balance_due_at, threshold, deposit_minor,
                                  max_per_pledge, forfeit_on_default, status, created_at)
                VALUES ('p', 'C', 'CNY', 0, 100, 100, 200, 1, 0, 5, 1, 'open', 0);
            INSERT INTO pledges(campaign_id, consumer_id, quantity, deposit_minor, currency, pickup_point, idempotency_scope, idempotency_key,
                                fingerprint, status, created_at, updated_at)
                VALUES (1, 'a', 1, 0, 'CNY', 'North', 's', 'k1', 'f', 'pledged', 0, 0), (1, 'b', 1, 0, 'CNY', 'Gate 3', 's', 'k2', 'f', 'pledged', 0, 0);
            """)
        try Migrations.apply(to: db)
        #expect(try db.query("SELECT name, COALESCE(leader_id, 0) FROM pickup_points ORDER BY name") { "\($0.string(0))=\($0.int(1))" } == ["Gate 3=1", "North=0"])
    }

    /// Migration 24 rebuilds the journal, its postings and the refunds that refer to it: every
    /// row comes through, the references hold, and the new kinds are accepted.
    @Test func migrationTwentyFourKeepsTheJournalAndItsRefunds() throws {
        let f = try StoreFixture()
        let db = try f.database(atSchemaVersion: 23)
        try db.execute(Self.supplierAndProduct)
        try db.execute("""
            INSERT INTO campaigns(sku, title, currency, opens_at, closes_at, cancellation_deadline, balance_due_at, threshold, deposit_minor,
                                  max_per_pledge, forfeit_on_default, status, created_at)
                VALUES ('p', 'C', 'CNY', 0, 100, 100, 200, 1, 0, 5, 1, 'failed', 0);
            INSERT INTO pledges(campaign_id, consumer_id, quantity, deposit_minor, currency, idempotency_scope, idempotency_key,
                                fingerprint, status, created_at, updated_at) VALUES (1, 'a', 1, 100, 'CNY', 's', 'k1', 'f', 'refunded', 0, 0);
            INSERT INTO journal_entries(id, kind, currency, campaign_id, pledge_id, memo, created_at) VALUES (5, 'deposit_refunded', 'CNY', 1, 1, '', 0);
            INSERT INTO postings(journal_id, line, account, amount_minor) VALUES (5, 0, 'escrow', 100), (5, 1, 'refunds_payable', -100);
            INSERT INTO refunds(id, journal_id, pledge_id, campaign_id, consumer_id, amount_minor, currency, reason, status, created_at)
                VALUES (3, 5, 1, 1, 'a', 100, 'CNY', 'deposit_refunded', 'due', 0);
            """)
        try Migrations.apply(to: db)
        #expect(try db.query("SELECT id, journal_id, amount_minor, status FROM refunds") { "\($0.int(0)) \($0.int(1)) \($0.int(2)) \($0.string(3))" } == ["3 5 100 due"])
        #expect(try db.query("SELECT account FROM postings WHERE journal_id = 5 ORDER BY line") { $0.string(0) } == ["escrow", "refunds_payable"])
        #expect(try db.query("PRAGMA foreign_key_check") { $0.string(0) }.isEmpty)
        #expect(try db.query("SELECT name FROM sqlite_master WHERE tbl_name = 'refunds' AND type = 'index' AND sql IS NOT NULL ORDER BY name") { $0.string(0) }
                == ["refunds_by_pledge", "refunds_by_status"])
        try db.execute("INSERT INTO journal_entries(kind, currency, memo, created_at) VALUES ('stock_used', 'CNY', '', 0)")
        #expect(throws: (any Error).self) { try db.execute("INSERT INTO journal_entries(kind, currency, memo, created_at) VALUES ('stock_lost', 'CNY', '', 0)") }
        #expect(throws: (any Error).self) { try db.execute("INSERT INTO refunds(journal_id, pledge_id, campaign_id, consumer_id, amount_minor, currency, reason, status, created_at) VALUES (999, 1, 1, 'a', 1, 'CNY', 'x', 'due', 0)") }
    }

    /// Migration 9: the status and kind columns refuse values no build writes, on insert and on
    /// change, while the rows already stored stay as they were.
    @Test func migrationNineRefusesUnknownStatusesAndKinds() throws {
        let f = try StoreFixture()
        let id = try f.seedCampaign()
        let pledge = try f.pledge(id, "alice", 2).pledge.id
        let (bad, kept) = try f.store.writeSync { db -> ([String], Int64) in
            var refused: [String] = []
            for sql in ["UPDATE campaigns SET status = 'paused' WHERE id = \(id)",
                        "UPDATE pledges SET status = 'lost' WHERE id = \(pledge)",
                        "INSERT INTO journal_entries(kind, currency, memo, created_at) VALUES ('gift', 'CNY', '', 0)",
                        "INSERT INTO postings(journal_id, line, account, amount_minor) VALUES (1, 9, 'petty_cash', 0)",
                        "UPDATE purchase_orders SET decision = 'maybe'"] {
                do { try db.executeRaw(sql) } catch let error as SQLiteError where error.message.contains("CHECK constraint failed") {
                    refused.append(String(sql.prefix(6)))
                }
            }
            return (refused, try db.pledges(campaignID: id).count == 1 ? 1 : 0)
        }
        // The purchase order update matches no row (no order yet), so it has nothing to refuse.
        #expect(bad == ["UPDATE", "UPDATE", "INSERT", "INSERT"])
        #expect(kept == 1)
        #expect(try f.store.readSync { try $0.campaign(id: id)?.status } == .open)
    }

    /// Pledges without a leader are left out of the leader index; lookups by leader still use it.
    @Test func leaderLookupsUseThePartialIndex() throws {
        let f = try StoreFixture()
        let (plan, indexed) = try f.store.readSync { db in
            (try db.connection.query("""
                EXPLAIN QUERY PLAN SELECT id FROM pledges
                WHERE leader_code = ? AND campaign_id = ? AND status IN ('pledged', 'confirmed')
                """, [.text("L1"), .integer(1)]) { $0.string(3) }.joined(separator: "; "),
             try db.connection.scalarString("SELECT sql FROM sqlite_master WHERE name = 'pledges_by_leader'"))
        }
        #expect(plan.contains("pledges_by_leader"))
        #expect(indexed?.contains("WHERE leader_code IS NOT NULL") == true)
    }

    /// Text is bound by its UTF-8 bytes and length: the empty string stays text (not NULL),
    /// and multi-byte characters keep every byte.
    @Test func textRoundTripsExactly() throws {
        let f = try StoreFixture()
        let values = ["", "tea", "茶叶 🍵", String(repeating: "长", count: 40)]
        let read = try f.store.writeSync { db -> [String] in
            try db.connection.execute("CREATE TEMP TABLE texts(position INTEGER, value TEXT)")
            for (position, value) in values.enumerated() {
                try db.connection.run("INSERT INTO texts VALUES (?, ?)", [.integer(Int64(position)), .text(value)])
            }
            return try db.connection.query("SELECT value, typeof(value), length(CAST(value AS BLOB)) FROM texts ORDER BY position") {
                $0.string(1) == "text" && $0.int(2) == Int64($0.string(0).utf8.count) ? $0.string(0) : "<wrong>"
            }
        }
        #expect(read == values)
    }

    /// The log is bounded by the writer's own checkpoint alone (the background one never
    /// wakes here), and it starts again from the beginning instead of growing.
    @Test func theWritersCheckpointKeepsTheLogShort() throws {
        let f = try StoreFixture(checkpoints: .init(wake: .max, inline: 60))
        let id = try f.seedCampaign(cap: nil)
        for i in 0..<200 { _ = try f.pledge(id, "c\(i)", 1) }
        let frames = try Self.walFrames(f)
        #expect(frames > 0 && frames < 60 + 40, "log of \(frames) frames")
        #expect(f.store.checkpoints == 0)
        let c = try f.store.readSync { try $0.requireCampaign(id: id) }
        #expect(c.pledgeCount == 200)
        let ledger = try f.checkLedger()
        #expect(ledger.balanced && ledger.runningMatchesPostings && ledger.escrowMatchesDeposits)
    }

    /// The background checkpointer wakes on frames written since its last run, so it keeps
    /// running after the log passes the mark (and the data stays whole).
    @Test func theCheckpointerWakesOnNewFrames() throws {
        let f = try StoreFixture(checkpoints: .init(wake: 30, inline: .max))
        let id = try f.seedCampaign(cap: nil)
        for i in 0..<200 { _ = try f.pledge(id, "c\(i)", 1) }
        for _ in 0..<200 where f.store.checkpoints < 5 { Thread.sleep(forTimeInterval: 0.01) }
        #expect(f.store.checkpoints >= 5)
        let c = try f.store.readSync { try $0.requireCampaign(id: id) }
        #expect(c.pledgeCount == 200)
        let ledger = try f.checkLedger()
        #expect(ledger.balanced && ledger.runningMatchesPostings && ledger.escrowMatchesDeposits)
    }

    /// Frames the log file has room for (it is reused, not truncated, when it restarts).
    private static func walFrames(_ f: StoreFixture) throws -> Int {
        let size = try FileManager.default.attributesOfItem(atPath: f.store.path + "-wal")[.size] as! Int
        return (size - 32) / (4096 + 24)
    }

    @Test func pledgeUpdatesTotalsAndLedgerAtomically() throws {
        let f = try StoreFixture()
        let id = try f.seedCampaign(threshold: 10)
        let outcome = try f.pledge(id, "alice", 10)
        #expect(outcome.campaign.status == .tipped)
        #expect(outcome.pledge.deposit.minor == 1000)
        let c = try f.store.readSync { try $0.requireCampaign(id: id) }
        #expect(c.pledgedQuantity == 10 && c.pledgeCount == 1)
        let ledger = try f.checkLedger()
        #expect(ledger.balanced && ledger.runningMatchesPostings && ledger.escrowMatchesDeposits)
    }

    @Test func aFailedPledgeChangesNothing() throws {
        let f = try StoreFixture()
        let id = try f.seedCampaign(threshold: 1, cap: 5)
        _ = try f.pledge(id, "ann", 3)
        #expect { try f.pledge(id, "bob", 3) } throws: { ($0 as? DomainError)?.code == .soldOut }
        let (c, entries, rows) = try f.store.readSync { db in
            (try db.requireCampaign(id: id), try db.journalEntryCount(), try db.pledges(campaignID: id).count)
        }
        #expect(c.pledgedQuantity == 3 && entries == 1 && rows == 1)
    }

    @Test func idempotentRetriesReturnTheSamePledge() throws {
        let f = try StoreFixture()
        let id = try f.seedCampaign()
        let first = try f.pledge(id, "alice", 2, key: "k1")
        let second = try f.pledge(id, "alice", 2, key: "k1")
        #expect(second.replayed && second.pledge.id == first.pledge.id)
        #expect { try f.pledge(id, "alice", 3, key: "k1") } throws: { ($0 as? DomainError)?.code == .idempotencyConflict }
        let c = try f.store.readSync { try $0.requireCampaign(id: id) }
        #expect(c.pledgedQuantity == 2)
    }

    /// A retry is answered from the first pledge even when the campaign would now refuse it
    /// (here: the first pledge took the last units), and only then.
    @Test func aRetryAfterTheCampaignFilledIsStillAReplay() throws {
        let f = try StoreFixture()
        let id = try f.seedCampaign(threshold: 1, cap: 5)
        let first = try f.pledge(id, "ann", 5, key: "last-units")
        let retry = try f.pledge(id, "ann", 5, key: "last-units")
        #expect(retry.replayed && retry.pledge.id == first.pledge.id && retry.campaign.pledgedQuantity == 5)
        #expect { try f.pledge(id, "ann", 4, key: "last-units") } throws: { ($0 as? DomainError)?.code == .idempotencyConflict }
        #expect { try f.pledge(id, "bob", 1, key: "new") } throws: { ($0 as? DomainError)?.code == .soldOut }
        let ledger = try f.checkLedger()
        #expect(ledger.balanced && ledger.runningMatchesPostings && ledger.escrowMatchesDeposits)
    }

    /// Many real threads race for the last units; the database ends exactly at the cap.
    @Test func concurrentWritersNeverExceedTheCap() throws {
        let f = try StoreFixture()
        let cap: Int64 = 100
        let id = try f.seedCampaign(threshold: 1, cap: cap)
        let accepted = Counter()
        let soldOut = Counter()
        DispatchQueue.concurrentPerform(iterations: 300) { i in
            do {
                _ = try f.pledge(id, "u\(i)", Int64(i % 3 + 1))
                accepted.add(Int64(i % 3 + 1))
            } catch let e as DomainError where e.code == .soldOut {
                soldOut.add(1)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        let c = try f.store.readSync { try $0.requireCampaign(id: id) }
        let sum = try f.store.readSync { db in
            try db.connection.scalarInt("SELECT SUM(quantity) FROM pledges WHERE campaign_id = ?", [.integer(id)]) ?? 0
        }
        #expect(c.pledgedQuantity <= cap)
        #expect(c.pledgedQuantity == accepted.value && sum == accepted.value)
        #expect(soldOut.value > 0)
        #expect(cap - c.pledgedQuantity < 3, "only a pledge larger than what is left may be refused")
        #expect(try f.checkLedger().escrowMatchesDeposits)
        #expect(f.store.writerStatistics.snapshot.jobs >= 300)
    }

    /// Two processes' worth of connections (two Store instances on one file) still serialise on
    /// BEGIN IMMEDIATE, so the cap holds across them too.
    @Test func twoStoresOnOneFileRespectTheCap() throws {
        let f = try StoreFixture()
        let id = try f.seedCampaign(threshold: 1, cap: 40)
        let other = try Store(path: f.store.path)
        defer { other.close() }
        let t = f.t0.adding(seconds: 60)
        DispatchQueue.concurrentPerform(iterations: 80) { i in
            let store = i % 2 == 0 ? f.store : other
            let request = try! PledgeRequest(consumerID: "u\(i)", quantity: 1, idempotencyKey: "k\(i)")
            _ = try? store.writeSync { db in try f.tx(db).placePledge(campaignID: id, request: request, scope: "s", at: t) }
        }
        let c = try f.store.readSync { try $0.requireCampaign(id: id) }
        #expect(c.pledgedQuantity == 40)
    }

    /// The writer remembers a campaign's row across its transactions; another connection's
    /// commit (a CLI command beside the server) must make it read the row again.
    @Test func aCampaignChangedThroughAnotherStoreIsSeenByTheNextPledge() throws {
        let f = try StoreFixture()
        let id = try f.seedCampaign(threshold: 1, cap: 10)
        _ = try f.pledge(id, "a", 2)
        _ = try f.pledge(id, "b", 2)
        let other = try Store(path: f.store.path)
        defer { other.close() }
        let now = f.t0.adding(seconds: 60)
        let request = try PledgeRequest(consumerID: "c", quantity: 5, idempotencyKey: "other-c")
        _ = try other.writeSync { db in try f.tx(db).placePledge(campaignID: id, request: request, scope: "s", at: now) }
        // 9 of 10 taken, 5 of them seen only through the other store: 2 more would pass the cap.
        #expect { _ = try f.pledge(id, "d", 2) } throws: { ($0 as? DomainError)?.code == .soldOut }
        _ = try other.writeSync { db in try f.tx(db).closeCampaign(id: id, reason: .closed, at: now.adding(seconds: 1)) }
        #expect { _ = try f.pledge(id, "e", 1) } throws: { ($0 as? DomainError)?.code == .campaignClosed }
        let campaign = try f.store.readSync { try $0.requireCampaign(id: id) }
        #expect(campaign.pledgedQuantity == 9 && campaign.status == .succeeded)
    }

    @Test func closingSucceedsOrFailsAndRefunds() throws {
        let f = try StoreFixture()
        let win = try f.seedCampaign(threshold: 10)
        let lose = try f.seedCampaign(threshold: 10)
        for (i, q) in [4, 5, 3].enumerated() { _ = try f.pledge(win, "w\(i)", Int64(q)) }
        for (i, q) in [2, 3].enumerated() { _ = try f.pledge(lose, "l\(i)", Int64(q)) }
        let closeAt = f.t0.adding(days: 7)
        let (s1, s2) = try f.store.writeSync { db in
            (try f.tx(db).closeCampaign(id: win, reason: .closed, at: closeAt), try f.tx(db).closeCampaign(id: lose, reason: .closed, at: closeAt))
        }
        #expect(s1.campaign.status == .succeeded && s1.campaign.finalUnitPrice?.minor == 1000)
        #expect(s1.demand?.orderQuantity == 12)
        #expect(s2.campaign.status == .failed)
        let refunded = try f.store.readSync { try $0.pledges(campaignID: lose) }
        #expect(refunded.allSatisfy { $0.status == .refunded })
        let ledger = try f.checkLedger()
        #expect(ledger.balanced && ledger.runningMatchesPostings && ledger.escrowMatchesDeposits)
        let balances = try f.store.readSync { try $0.ledgerBalances() }
        #expect(balances.escrowHeld(currency: "CNY") == 1200)
        #expect(balances.balance(.supplierPayables, currency: "CNY") == -12 * 400)
        // Closing twice is refused and changes nothing.
        #expect { try f.store.writeSync { db in try f.tx(db).closeCampaign(id: win, reason: .closed, at: closeAt) } }
            throws: { ($0 as? DomainError)?.code == .invalidTransition }
    }

    /// Property over the real store: random operations keep the ledger balanced and escrow exact.
    @Test func randomOperationsKeepTheLedgerBalanced() throws {
        let f = try StoreFixture()
        var rng = SeededGenerator(seed: 77)
        var campaigns: [Int64] = []
        for _ in 0..<4 { campaigns.append(try f.seedCampaign(threshold: Int64.random(in: 5...30, using: &rng), cap: 60)) }
        var pledgeIDs: [Int64] = []
        for step in 0..<300 {
            let now = f.t0.adding(seconds: Int64(100 + step))
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<7:
                if let o = try? f.pledge(campaigns.randomElement(using: &rng)!, "c\(step)", Int64.random(in: 1...6, using: &rng), at: now) {
                    pledgeIDs.append(o.pledge.id)
                }
            default:
                if let id = pledgeIDs.randomElement(using: &rng) {
                    _ = try? f.store.writeSync { db in try f.tx(db).cancelPledge(id: id, at: now) }
                }
            }
        }
        let closeAt = f.t0.adding(days: 7)
        for id in campaigns { _ = try f.store.writeSync { db in try f.tx(db).closeCampaign(id: id, reason: .closed, at: closeAt) } }
        let due = f.t0.adding(days: 14)
        for id in pledgeIDs {
            _ = try? f.store.writeSync { db in
                Bool.random() ? try f.tx(db).payBalance(pledgeID: id, at: due) : try f.tx(db).defaultPledge(id: id, at: due)
            }
        }
        let ledger = try f.checkLedger()
        #expect(ledger.balanced && ledger.runningMatchesPostings && ledger.escrowMatchesDeposits)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var total: Int64 = 0
    func add(_ n: Int64) { lock.lock(); total += n; lock.unlock() }
    var value: Int64 { lock.lock(); defer { lock.unlock() }; return total }
}

/// The writer runs a batch without savepoints and undoes a failed job by replaying the rest.
@Suite struct GroupCommitTests {
    struct Refused: Error {}

    /// Runs `jobs` jobs from 24 threads at once, so that batches hold several jobs; returns
    /// which of them succeeded.
    static func race(_ f: StoreFixture, jobs: Int, _ body: @escaping @Sendable (Int, SQLiteRepositories) throws -> Void) -> Set<Int> {
        let succeeded = Mutex<Set<Int>>([])
        let group = DispatchGroup()
        for thread in 0..<24 {
            group.enter()
            Thread {
                for i in stride(from: thread, to: jobs, by: 24) {
                    if (try? f.store.writeSync({ db in try body(i, db) })) != nil { succeeded.withLock { _ = $0.insert(i) } }
                }
                group.leave()
            }.start()
        }
        group.wait()
        return succeeded.withLock { $0 }
    }

    /// Refusals decided before any write (the common kind: sold out, closed) cost no replay,
    /// and such a job runs exactly once.
    @Test func jobsThatFailBeforeWritingNeedNoReplay() throws {
        let f = try StoreFixture()
        let t0 = f.t0
        let runs = Counter()
        let succeeded = Self.race(f, jobs: 240) { i, db in
            if i % 2 == 0 {
                _ = try f.tx(db).createSupplier(name: "kept-\(i)", endpointURL: nil, webhookSecret: "whsec_x", at: t0)
            } else {
                runs.add(1)
                _ = try db.suppliers()
                throw Refused()
            }
        }
        #expect(succeeded == Set(stride(from: 0, to: 240, by: 2)))
        #expect(runs.value == 120)
        #expect(f.store.writerStatistics.snapshot.replays == 0)
        #expect(try f.store.readSync { try $0.suppliers().count } == 120)
    }

    /// Jobs that fail after writing race with jobs that succeed: exactly the successful jobs'
    /// rows are kept, each once, and the failed jobs' rows are gone.
    @Test func aJobThatFailsAfterWritingIsUndoneAloneWhileItsBatchCommits() throws {
        let f = try StoreFixture()
        let t0 = f.t0
        let succeeded = Self.race(f, jobs: 240) { i, db in
            _ = try f.tx(db).createSupplier(name: (i % 3 == 0 ? "undone-" : "kept-") + "\(i)", endpointURL: nil, webhookSecret: "whsec_x", at: t0)
            if i % 3 == 0 { throw Refused() }
        }
        let kept = (0..<240).filter { $0 % 3 != 0 }
        #expect(succeeded == Set(kept))
        let names = try f.store.readSync { db in try db.suppliers().map(\.name) }
        #expect(names.sorted() == kept.map { "kept-\($0)" }.sorted())
        let statistics = f.store.writerStatistics.snapshot
        // A replay runs the rest of its batch in savepoints, which absorb any other such failure in it.
        #expect(statistics.replays > 0 && statistics.replays <= 80)
        #expect(statistics.jobs >= 160)
    }

    /// The campaign counters and running balances are written behind (`PendingWrites`). Pledges
    /// race with jobs that fail with only pending updates, jobs that fail after writing (a
    /// replay), and jobs that read the campaign back through SQL mid-transaction: the counters
    /// and balances end exactly as if every update had been written at once.
    @Test func pendingHotRowUpdatesCommitExactlyWhatSucceeded() throws {
        let f = try StoreFixture()
        let id = try f.seedCampaign(threshold: 5, cap: 10_000)
        let now = f.t0.adding(seconds: 60)
        let sawStaleRow = Counter()
        let succeeded = Self.race(f, jobs: 240) { i, db in
            let request = try PledgeRequest(consumerID: "c\(i)", quantity: 2, idempotencyKey: "k\(i)")
            switch i % 4 {
            case 1:
                // Leaves only pending updates, then fails: they must vanish with it.
                try db.saveCampaignChange(Changeset.CampaignChange(campaignID: id, quantityDelta: 1_000, pledgeCountDelta: 0))
                throw Refused()
            case 2:
                let outcome = try f.tx(db).placePledge(campaignID: id, request: request, scope: "test", at: now)
                // A plain SQL read in the same transaction sees the pending counters.
                let listed = try db.campaigns().first { $0.id == id }
                if listed?.pledgedQuantity != outcome.campaign.pledgedQuantity { sawStaleRow.add(1) }
            case 3:
                _ = try f.tx(db).placePledge(campaignID: id, request: request, scope: "test", at: now)
                throw Refused()
            default:
                _ = try f.tx(db).placePledge(campaignID: id, request: request, scope: "test", at: now)
            }
        }
        let kept = (0..<240).filter { $0 % 4 == 0 || $0 % 4 == 2 }
        #expect(succeeded == Set(kept))
        #expect(sawStaleRow.value == 0)
        let (campaign, rows) = try f.store.readSync { db in (try db.requireCampaign(id: id), try db.pledges(campaignID: id).count) }
        #expect(campaign.pledgedQuantity == Int64(2 * kept.count) && campaign.pledgeCount == Int64(kept.count))
        #expect(rows == kept.count)
        let ledger = try f.checkLedger()
        #expect(ledger.balanced && ledger.runningMatchesPostings && ledger.escrowMatchesDeposits)
        #expect(f.store.writerStatistics.snapshot.replays > 0)
    }
}

/// Running balances near the edge of Int64: deposits that would take one past it are refused
/// with `amount_overflow`, alone or in a group commit with others that fit, and nothing of a
/// refused pledge is stored. Before the check, the writer trapped in `PendingWrites` (every
/// in-flight request lost) and, one commit at a time, SQLite stored the balance as a REAL.
@Suite struct BalanceOverflowTests {
    /// Balances as if earlier campaigns had taken escrow to `headroom` from Int64's end.
    static func nearTheEdge(_ f: StoreFixture, headroom: Int64) throws {
        let edge = Int64.max - headroom
        _ = try f.store.writeSync { db in
            try db.connection.run("INSERT INTO account_balances VALUES ('CNY', 'cash', ?), ('CNY', 'escrow', ?)",
                                  [.integer(edge), .integer(-edge)])
        }
    }

    static func largestPledge(_ consumer: String) throws -> PledgeRequest {
        try PledgeRequest(consumerID: consumer, quantity: Bounds.pledgeQuantity, idempotencyKey: consumer)
    }

    @Test func concurrentDepositsPastInt64AreRefusedAndNothingIsStored() async throws {
        let f = try StoreFixture()
        let id = try f.seedCampaign(threshold: 1, cap: nil, deposit: Bounds.unitAmountMinor, maxPerPledge: Bounds.pledgeQuantity,
                                price: Bounds.unitAmountMinor)
        let deposit = Bounds.unitAmountMinor * Bounds.pledgeQuantity
        try Self.nearTheEdge(f, headroom: 5 * deposit + deposit / 2)
        let now = f.t0.adding(seconds: 60)
        let results = await withTaskGroup(of: Result<Int64, DomainError>.self) { group in
            for i in 0..<20 {
                group.addTask {
                    do {
                        let request = try Self.largestPledge("c\(i)")
                        return .success(try await f.store.write { db in try f.tx(db).placePledge(campaignID: id, request: request, scope: "t", at: now) }.pledge.id)
                    } catch let error as DomainError { return .failure(error) } catch { return .failure(DomainError(.conflict, "\(error)")) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let accepted = results.filter { if case .success = $0 { true } else { false } }.count
        let refusals = results.compactMap { if case .failure(let e) = $0 { e.code } else { nil } }
        #expect(accepted == 5)
        #expect(refusals.count == 15 && refusals.allSatisfy { $0 == .overflow })
        let (rows, types, balances, campaign) = try f.store.readSync { db in
            (try db.pledges(campaignID: id).count,
             try db.connection.query("SELECT DISTINCT typeof(balance_minor) FROM account_balances", []) { $0.string(0) },
             try db.ledgerBalances(), try db.requireCampaign(id: id))
        }
        #expect(rows == 5 && campaign.pledgeCount == 5)
        #expect(types == ["integer"])
        #expect(balances.isBalanced)
        #expect(balances.balance(.escrow, currency: "CNY") == -(Int64.max - deposit / 2))
    }

    /// The writer remembers balances between transactions; another process committing to the
    /// same file (a CLI beside the server) must not leave it checking sums against stale ones.
    @Test func anotherWriterOnTheSameFileIsSeenBeforeTheNextCheck() throws {
        let f = try StoreFixture()
        let id = try f.seedCampaign(threshold: 1, cap: nil, deposit: Bounds.unitAmountMinor, maxPerPledge: Bounds.pledgeQuantity,
                                    price: Bounds.unitAmountMinor)
        let deposit = Bounds.unitAmountMinor * Bounds.pledgeQuantity
        try Self.nearTheEdge(f, headroom: 2 * deposit + 1)
        let other = try Store(path: f.store.path)
        defer { other.close() }
        let now = f.t0.adding(seconds: 60)
        _ = try f.store.writeSync { db in try f.tx(db).placePledge(campaignID: id, request: try Self.largestPledge("a"), scope: "t", at: now) }
        _ = try other.writeSync { db in try f.tx(db).placePledge(campaignID: id, request: try Self.largestPledge("b"), scope: "t", at: now) }
        #expect { _ = try f.store.writeSync { db in try f.tx(db).placePledge(campaignID: id, request: try Self.largestPledge("c"), scope: "t", at: now) } }
            throws: { ($0 as? DomainError)?.code == .overflow }
        let balances = try f.store.readSync { db in try db.ledgerBalances() }
        #expect(balances.balance(.cash, currency: "CNY") == Int64.max - 1 && balances.isBalanced)
    }

    /// One commit at a time (each pledge its own transaction): the same refusal, and the
    /// balance never becomes a REAL.
    @Test func oneAtATimeTheBalanceStaysAnInteger() throws {
        let f = try StoreFixture()
        let id = try f.seedCampaign(threshold: 1, cap: nil, deposit: Bounds.unitAmountMinor, maxPerPledge: Bounds.pledgeQuantity,
                                price: Bounds.unitAmountMinor)
        let deposit = Bounds.unitAmountMinor * Bounds.pledgeQuantity
        try Self.nearTheEdge(f, headroom: deposit + 1)
        let now = f.t0.adding(seconds: 60)
        _ = try f.store.writeSync { db in try f.tx(db).placePledge(campaignID: id, request: try Self.largestPledge("a"), scope: "t", at: now) }
        #expect { _ = try f.store.writeSync { db in try f.tx(db).placePledge(campaignID: id, request: try Self.largestPledge("b"), scope: "t", at: now) } }
            throws: { ($0 as? DomainError)?.code == .overflow }
        let (types, balances) = try f.store.readSync { db in
            (try db.connection.query("SELECT DISTINCT typeof(balance_minor) FROM account_balances", []) { $0.string(0) }, try db.ledgerBalances())
        }
        #expect(types == ["integer"] && balances.balance(.cash, currency: "CNY") == Int64.max - 1)
    }
}

/// Online backup and checked restore on real files.
@Suite struct BackupTests {
    @Test func aBackupOfALiveStoreIsConsistentAndRestores() throws {
        let f = try StoreFixture()
        let id = try f.seedCampaign()
        for i in 0..<20 { _ = try f.pledge(id, "c\(i)", 1) }
        let copy = f.directory.appendingPathComponent("copy.db").path
        let taken = try Backup.take(from: f.store.path, to: copy)
        #expect(taken.pledges == 20 && taken.ledgerBalanced && taken.schemaVersion == Migrations.latestVersion)
        #expect(throws: StorageError.self) { try Backup.take(from: f.store.path, to: copy) }   // never overwrites
        // More pledges after the copy; restoring it into another file gives the 20 back.
        for i in 20..<25 { _ = try f.pledge(id, "c\(i)", 1) }
        let target = f.directory.appendingPathComponent("restored.db").path
        let restored = try Backup.restore(from: copy, to: target)
        #expect(restored.pledges == 20)
        let reopened = try Store(path: target)
        defer { reopened.close() }
        #expect(try reopened.readSync { try $0.pledges(campaignID: id).count } == 20)
    }

    /// Restoring over a database whose log still holds commits: the log is checkpointed and
    /// emptied first, so the restored file opens whole, with exactly the backup's rows.
    @Test func restoreOverALiveDatabaseWithALog() throws {
        let f = try StoreFixture()
        let id = try f.seedCampaign()
        for i in 0..<5 { _ = try f.pledge(id, "c\(i)", 1) }
        let copy = f.directory.appendingPathComponent("five.db").path
        _ = try Backup.take(from: f.store.path, to: copy)
        for i in 5..<40 { _ = try f.pledge(id, "c\(i)", 1) }
        f.store.close()
        #expect((try? FileManager.default.attributesOfItem(atPath: f.store.path + "-wal")[.size] as? Int) ?? 0 > 0)
        _ = try Backup.restore(from: copy, to: f.store.path)
        let reopened = try Store(path: f.store.path)
        defer { reopened.close() }
        #expect(try reopened.readSync { try $0.pledges(campaignID: id).count } == 5)
        #expect(try Backup.verify(f.store.path).ledgerBalanced)
    }

    @Test func restoreRefusesWhatFailsItsChecks() throws {
        let f = try StoreFixture()
        let garbage = f.directory.appendingPathComponent("garbage.db").path
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: garbage))
        let target = f.directory.appendingPathComponent("target.db").path
        #expect(throws: (any Error).self) { try Backup.restore(from: garbage, to: target) }
        #expect(!FileManager.default.fileExists(atPath: target))
        // A schema newer than this build knows.
        let copy = f.directory.appendingPathComponent("newer.db").path
        _ = try Backup.take(from: f.store.path, to: copy)
        let connection = try SQLiteConnection(path: copy)
        try connection.run("INSERT INTO schema_migrations(version, applied_at) VALUES (?, 0)", [.integer(Int64(Migrations.latestVersion + 1))])
        #expect { try Backup.restore(from: copy, to: target) } throws: { ($0 as? StorageError)?.message.contains("newer") == true }
        #expect(throws: StorageError.self) { try Backup.verify(f.directory.appendingPathComponent("missing.db").path) }
    }

    /// A backup whose refunds on record disagree with the ledger's liability for them (a row
    /// lost, say) is not a consistent copy: its verification says so and restore refuses it.
    @Test func aBackupWhoseRefundsDisagreeWithTheLedgerIsRefused() throws {
        let f = try StoreFixture()
        let id = try f.seedCampaign()
        for i in 0..<3 { _ = try f.pledge(id, "c\(i)", 1) }
        _ = try f.app.closeCampaign(id: id, reason: .cancelled, at: f.t0.adding(seconds: 120)).runBlocking()
        let copy = f.directory.appendingPathComponent("refunds.db").path
        #expect(try Backup.take(from: f.store.path, to: copy).ledgerBalanced)
        let connection = try SQLiteConnection(path: copy)
        try connection.run("DELETE FROM refunds WHERE id = (SELECT MIN(id) FROM refunds)")
        #expect(try !Backup.verify(copy).ledgerBalanced)
        let target = f.directory.appendingPathComponent("target.db").path
        #expect(throws: StorageError.self) { try Backup.restore(from: copy, to: target) }
    }
}

/// A supplier's running subscriptions may ask for at most `Bounds.subscriptionUnitsPerSupplier`
/// units a delivery: past it a subscription is refused up front (amount_overflow, nothing
/// stored), so no week's cut-off can overflow for subscriptions that were accepted.
@Suite struct SubscriptionBoundTests {
    @Test func aSubscriptionPastTheSuppliersBoundIsRefused() throws {
        let f = try StoreFixture()
        _ = try f.seedCampaign()
        let t0 = f.t0
        @Sendable func request(_ consumer: String, _ quantity: Int64) throws -> SubscriptionRequest {
            try SubscriptionRequest(consumerID: consumer, sku: "sku-1", quantity: quantity, start: nil, periods: nil,
                                    unitPrice: Money(minor: Bounds.unitAmountMinor, currency: .cny), deposit: .zero(.cny), at: t0)
        }
        _ = try f.app.subscribe(try request("a", Bounds.subscriptionQuantity), scope: "t", idempotencyKey: "a", at: t0).runBlocking()
        // 10^5 - 2 more like it, copied in SQL: one short of the bound, with room for one more.
        let copies = Bounds.subscriptionUnitsPerSupplier / Bounds.subscriptionQuantity - 2
        try f.store.writeSync { db in
            _ = try db.connection.run("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                INSERT INTO subscriptions(consumer_id, sku, quantity, cadence_weeks, first_week, periods, unit_price_minor, deposit_minor,
                                          currency, status, idempotency_scope, idempotency_key, fingerprint, created_at, updated_at)
                SELECT 'copy' || i, sku, quantity, cadence_weeks, first_week, periods, unit_price_minor, deposit_minor, currency, status,
                       idempotency_scope, 'copy' || i, fingerprint, created_at, updated_at FROM subscriptions, n WHERE id = 1
                """, [.integer(copies)])
        }
        _ = try f.app.subscribe(try request("b", Bounds.subscriptionQuantity), scope: "t", idempotencyKey: "b", at: t0).runBlocking()
        #expect { _ = try f.app.subscribe(try request("c", 1), scope: "t", idempotencyKey: "c", at: t0).runBlocking() }
            throws: { ($0 as? DomainError)?.code == .overflow }
        #expect(try f.store.readSync { db in try db.subscribedUnits(supplierID: 1) } == Bounds.subscriptionUnitsPerSupplier)
    }
}

/// Assertions where money and counters are written: a changeset that breaks one fails its
/// transaction and leaves nothing, whatever else decided it.
@Suite struct StoreInvariantTests {
    /// A posting without its other leg (as if a changeset had skipped one) fails the commit.
    @Test func unbalancedBalanceChangesFailTheCommit() throws {
        let f = try StoreFixture()
        #expect(throws: StoreInvariantError.self) {
            try f.store.writeSync { db in try db.connection.add(Counters(500), to: CounterTables.balances, key: ["CNY", "cash"]) }
        }
        let balances = try f.store.readSync { db in try db.ledgerBalances() }
        #expect(balances.balance(.cash, currency: "CNY") == 0)
    }

    /// A campaign saved past its cap is refused where it is saved, before the table's CHECK.
    @Test func aCampaignPastItsCapCannotBeSaved() throws {
        let f = try StoreFixture()
        let id = try f.seedCampaign(cap: 50)
        #expect(throws: StoreInvariantError.self) {
            try f.store.writeSync { db in
                try db.saveCampaignChange(Changeset.CampaignChange(campaignID: id, quantityDelta: 51, pledgeCountDelta: 0))
            }
        }
        #expect(try f.store.readSync { db in try db.requireCampaign(id: id) }.pledgedQuantity == 0)
    }
}
