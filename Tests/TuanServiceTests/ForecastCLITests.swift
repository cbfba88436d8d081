import Foundation
import Testing
import TuanTesting
import TuanDomain
@testable import TuanService

/// `tuan simulate` and `tuan forecast …` in-process, off the test pool (they block on the store).
@Suite struct ForecastCLITests {
    @Test func simulateThenForecastFromTheCommandLine() async throws {
        let cli = try CLIHarness()
        let result: (simulated: (Int32, String, String), open: JSONValue, sku: (Int32, String, String), csv: (Int32, String, String),
                     campaign: (Int32, String, String), backtest: (Int32, String, String), again: (Int32, String, String),
                     badWeeks: (Int32, String, String)) = try await offPool {
            Result {
                let simulated = cli.run("simulate", "--skus", "6", "--weeks", "12", "--quiet")
                let open = try cli.json("campaign", "list", "--status", "open")
                return (simulated, open, cli.run("forecast", "sku", "fruit-1", "--weeks", "3"),
                        cli.run("forecast", "sku", "fruit-1", "--csv"),
                        cli.run("forecast", "campaign", Self.firstID(open) ?? "1"),
                        cli.run("forecast", "backtest"),
                        cli.run("simulate", "--skus", "1", "--quiet"),
                        cli.run("forecast", "sku", "fruit-1", "--weeks", "99"))
            }
        }.get()
        #expect(result.simulated.0 == 0, "\(result.simulated.2)")
        #expect(result.simulated.1.contains("still open"))
        #expect(result.sku.0 == 0 && result.sku.1.contains("bullwhip over 25 weeks"))
        #expect(result.csv.0 == 0 && result.csv.1.split(separator: "\n").count == 9)
        #expect(result.campaign.0 == 0 && result.campaign.1.contains("tip probability"), "\(result.campaign.2)")
        #expect(result.backtest.0 == 0 && result.backtest.1.contains("P10-P90 coverage"), "\(result.backtest.2)")
        // A second simulation into the same database is refused, with nothing written.
        #expect(result.again.0 == 1 && result.again.2.contains("fresh --db"))
        #expect(result.badWeeks.0 == 1 && result.badWeeks.2.contains("weeks"))
    }

    /// The timed passes of `forecast plan --all` and `forecast campaigns`: `--passes` 1–20 and
    /// `--later` 1–86 400 seconds, each at its bound and one past it; `--later` adds one pass.
    @Test func timedPassesAtTheirBounds() async throws {
        let cli = try CLIHarness()
        let runs = try await offPool {
            Result {
                _ = cli.run("simulate", "--skus", "3", "--weeks", "6", "--quiet")
                return [cli.run("forecast", "plan", "--all", "--passes", "20", "--json"),
                        cli.run("forecast", "plan", "--all", "--passes", "21"),
                        cli.run("forecast", "plan", "--all", "--passes", "0"),
                        cli.run("forecast", "campaigns", "--passes", "1", "--later", "86400", "--json"),
                        cli.run("forecast", "campaigns", "--passes", "1", "--later", "86401"),
                        cli.run("forecast", "plan", "--all", "--passes", "1", "--later", "0")]
            }
        }.get()
        func passes(_ run: (Int32, String, String)) -> Int? {
            guard case .array(let times)? = (try? JSONParser.parse(Array(run.1.utf8)))?["seconds"] else { return nil }
            return times.count
        }
        #expect(runs[0].0 == 0 && passes(runs[0]) == 20, "\(runs[0].2)")
        #expect(runs[3].0 == 0 && passes(runs[3]) == 2, "one pass, then one a day later: \(runs[3].2)")
        for refused in [runs[1], runs[2]] { #expect(refused.0 == 1 && refused.2.contains("passes"), "\(refused.2)") }
        for refused in [runs[4], runs[5]] { #expect(refused.0 == 1 && refused.2.contains("later"), "\(refused.2)") }
    }

    static func firstID(_ list: JSONValue) -> String? {
        guard case .array(let items) = list, case .int(let id)? = items.first?["id"] else { return nil }
        return String(id)
    }
}
