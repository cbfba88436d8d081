import Foundation
import Testing
import TuanDomain
@testable import TuanSQLite
import TuanStore
@testable import TuanService

/// The CLI equivalents of the leader, team and subscription routes.
@Suite struct CommunityCLITests {
    @Test func leadersTeamsAndSubscriptionsFromTheCommandLine() throws {
        let cli = try CLIHarness()
        cli.now = "2026-12-02T12:00:00Z"  // a Wednesday
        cli.run("supplier", "add", "--name", "Farm")
        cli.run("product", "add", "--sku", "tea", "--supplier", "1", "--name", "Tea", "--unit-cost", "4.00", "--case-pack", "6")
        let leader = try cli.json("leader", "add", "--code", "ann", "--name", "Ann", "--pickup", "Block 3", "--commission-bps", "500")
        #expect(leader["id"] == 1 && leader["commission_bps"] == 500)
        #expect(cli.run("leader", "add", "--code", "ann", "--name", "A", "--pickup", "P", "--commission-bps", "1").err.contains("conflict"))

        let campaign = try cli.json("campaign", "create", "--sku", "tea", "--title", "Team tea", "--closes-at", "2026-12-09T12:00:00Z",
                                    "--threshold", "2", "--tier", "1:10", "--team-size", "2", "--team-hours", "12", "--team-price", "7")
        #expect(campaign["team"]?["unit_price_minor"] == 700 && campaign["team"]?["window_seconds"] == 43_200)
        let opened = cli.run("pledge", "add", "--campaign", "1", "--consumer", "a", "--quantity", "1", "--team", "open", "--leader", "ann")
        #expect(opened.status == 0 && opened.out.contains("team T"))
        let code = try teamCode(cli)
        #expect(try cli.json("team", "show", code)["spots_left"] == 1)
        #expect(cli.run("pledge", "add", "--campaign", "1", "--consumer", "b", "--quantity", "1", "--team", code).status == 0)
        #expect(try cli.json("team", "show", code)["status"] == "filled")
        #expect(try cli.json("campaign", "close", "1")["campaign"]?["status"] == "succeeded")
        let list = cli.run("leader", "pick-list", "1", "--campaign", "1", "--csv")
        #expect(list.out.contains("a,1,Block 3"))
        #expect(try cli.json("ledger", "balance")["verified"] == true)

        let sub = try cli.json("subscription", "add", "--consumer", "cy", "--sku", "tea", "--quantity", "2", "--price", "15",
                               "--periods", "2", "--deposit", "15")
        #expect(sub["first_week"] == "2026-12-07T00:00:00Z" && sub["status"] == "active")
        #expect(cli.run("subscription", "skip", "1", "--week", "2026-12-07T00:00:00Z").status == 0)
        #expect(cli.run("subscription", "cut-off").out.contains("no week is due"))
        cli.now = "2026-12-12T01:00:00Z"  // past the cut-offs of weeks 0 and 1
        let cut = try cli.json("subscription", "cut-off")
        #expect(cut.arrayValue?.count == 2 && cut[0]?["deliveries"] == 0 && cut[1]?["units"] == 2)
        #expect(try cli.json("subscription", "cut-off") == [])
        let late = cli.run("subscription", "pause", "1", "--from", "2026-12-14T00:00:00Z")
        #expect(late.status == 1 && late.err.contains("cut_off_passed"))
        cli.now = "2026-12-19T01:00:00Z"
        _ = try cli.json("subscription", "cut-off")
        #expect(try cli.json("subscription", "show", "1")["status"] == "ended")
        #expect(try cli.json("ledger", "balance")["verified"] == true)
    }

    private func teamCode(_ cli: CLIHarness) throws -> String {
        let path = cli.db
        let store = try Store(path: path)
        defer { store.close() }
        return try store.readSync { try $0.teams(campaignID: 1).first!.code }
    }
}
