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

    static func firstID(_ list: JSONValue) -> String? {
        guard case .array(let items) = list, case .int(let id)? = items.first?["id"] else { return nil }
        return String(id)
    }
}
