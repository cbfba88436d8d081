import Foundation
import Testing
import TuanDomain
@testable import TuanService

/// Runs `tuan` commands in-process against a temporary database, capturing output.
final class CLIHarness: @unchecked Sendable {
    let directory: URL
    let db: String
    var now = "2026-12-01T00:00:00Z"

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tuan-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        db = directory.appendingPathComponent("t.db").path
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    @discardableResult
    func run(_ words: String...) -> (status: Int32, out: String, err: String) {
        var out = "", err = ""
        let status = TuanCLI.run(words + ["--db", db], environment: ["TUAN_NOW": now],
                                 standardOutput: { out += $0 + "\n" }, standardError: { err += $0 + "\n" })
        return (status, out, err)
    }

    func json(_ words: String...) throws -> JSONValue {
        var out = "", err = ""
        let status = TuanCLI.run(words + ["--db", db, "--json"], environment: ["TUAN_NOW": now],
                                 standardOutput: { out += $0 }, standardError: { err += $0 })
        guard status == 0 else { throw DomainError(.conflict, "exit \(status): \(err)") }
        return try JSONParser.parse(out)
    }
}

@Suite struct CLITests {
    /// The README walkthrough, step by step.
    @Test func walkthroughSucceedsAndFails() throws {
        let cli = try CLIHarness()
        #expect(cli.run("migrate").status == 0)
        #expect(try cli.json("supplier", "add", "--name", "Green Valley Tea")["id"] == 1)
        #expect(cli.run("product", "add", "--sku", "tea-500g", "--supplier", "1", "--name", "Longjing", "--unit-cost", "42.00",
                        "--case-pack", "12", "--moq", "24").status == 0)
        let c = try cli.json("campaign", "create", "--sku", "tea-500g", "--title", "Spring", "--closes-at", "2027-01-31T12:00:00Z",
                             "--threshold", "20", "--cap", "100", "--tier", "1:99", "--tier", "30:89", "--tier", "60:79",
                             "--deposit", "10")
        #expect(c["status"] == "open" && c["current_unit_price_minor"] == 9900)
        for (who, q) in [("alice", "12"), ("bob", "15"), ("carol", "8")] {
            #expect(cli.run("pledge", "add", "--campaign", "1", "--consumer", who, "--quantity", q).status == 0)
        }
        let over = cli.run("pledge", "add", "--campaign", "1", "--consumer", "dan", "--quantity", "70")
        #expect(over.status == 1 && over.err.contains("sold_out"))
        let closed = try cli.json("campaign", "close", "1")
        #expect(closed["campaign"]?["status"] == "succeeded")
        #expect(closed["campaign"]?["final_unit_price_minor"] == 8900)
        #expect(closed["demand"]?["order_quantity"] == 36 && closed["demand"]?["rounding_surplus"] == 1)
        let ledger = try cli.json("ledger", "balance")
        #expect(ledger["verified"] == true && ledger["CNY"]?["escrow_held_minor"] == 35_000)

        _ = try cli.json("campaign", "create", "--sku", "tea-500g", "--title", "Autumn", "--closes-at", "2027-01-31T12:00:00Z",
                         "--threshold", "50", "--tier", "1:99", "--deposit", "5", "--cap", "100")
        for who in ["erin", "frank"] { cli.run("pledge", "add", "--campaign", "2", "--consumer", who, "--quantity", "3") }
        let failed = try cli.json("campaign", "close", "2")
        #expect(failed["campaign"]?["status"] == "failed" && failed["pledges_refunded"] == 2)
        let after = try cli.json("ledger", "balance")
        #expect(after["CNY"]?["escrow_held_minor"] == 35_000 && after["verified"] == true)

        // The events of all that, as a storefront would pull them.
        let refunds = try cli.json("event", "list", "--types", "refund.*,pledge.refunded", "--campaign", "2").arrayValue ?? []
        #expect(refunds.compactMap { $0["type"]?.stringValue } == ["refund.due", "refund.due", "pledge.refunded", "pledge.refunded"])
        let later = try cli.json("event", "list", "--after", "5", "--limit", "3").arrayValue ?? []
        #expect(later.compactMap { $0["seq"]?.intValue } == [6, 7, 8])
        #expect(cli.run("event", "list", "--types", "nope").err.contains("unknown_event_type"))
        #expect(cli.run("event", "list").out.contains("campaign.failed\tcampaign 2\t2"))
        #expect(cli.run("webhook", "list").status == 0)
    }

    @Test func badInputNamesTheFieldAndChangesNothing() throws {
        let cli = try CLIHarness()
        cli.run("supplier", "add", "--name", "S")
        let r = cli.run("product", "add", "--sku", "x", "--supplier", "1", "--name", "X", "--unit-cost", "1.234")
        #expect(r.status == 1 && r.err.contains("unit-cost"))
        #expect(cli.run("product", "add", "--sku", "x", "--supplier", "1", "--name", "X", "--bogus", "1").status == 2)
        #expect(cli.run("campaign", "show", "7").err.contains("not_found"))
        #expect(try cli.json("product", "list") == [])
        #expect(cli.run("nonsense").status == 2)
        #expect(cli.run("campaign", "create", "--help").status == 0)
    }

    @Test func cancellationRefundsAndIsRefusedAfterTheDeadline() throws {
        let cli = try CLIHarness()
        cli.run("supplier", "add", "--name", "S")
        cli.run("product", "add", "--sku", "p", "--supplier", "1", "--name", "P", "--unit-cost", "1")
        cli.run("campaign", "create", "--sku", "p", "--title", "T", "--closes-at", "2026-12-10T00:00:00Z",
                "--cancel-by", "2026-12-05T00:00:00Z", "--threshold", "5", "--tier", "1:3", "--deposit", "1")
        cli.run("pledge", "add", "--campaign", "1", "--consumer", "a", "--quantity", "2")
        cli.run("pledge", "add", "--campaign", "1", "--consumer", "b", "--quantity", "2")
        #expect(try cli.json("pledge", "cancel", "1")["status"] == "cancelled")
        cli.now = "2026-12-06T00:00:00Z"
        #expect(cli.run("pledge", "cancel", "2").err.contains("cancellation_closed"))
        #expect(try cli.json("ledger", "balance")["CNY"]?["escrow_held_minor"] == 200)
    }
}
