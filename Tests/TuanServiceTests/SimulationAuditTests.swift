import Foundation
import Testing
import TuanTesting
@testable import TuanService

/// The seeded workload and its auditor (`AuditedSimulation`) on real SQLite files. A failing
/// seed replays exactly with `tuan simulate-audit --from SEED --seeds 1`. The runs block on the
/// store, so they run on threads of their own (`Thread.run`), never on the concurrency pool,
/// where they would hold up every other test's tasks (and a server test's request would time out).
@Suite struct SimulationAuditTests {
    /// Runs seeds `seeds` off the pool; the first failure, or the action counts summed.
    static func run(_ seeds: Range<UInt64>, steps: Int = 120, plantedBug: AuditedSimulation.PlantedBug? = nil)
        async -> Result<[String: Int], AuditedSimulation.Failure> {
        await offPool {
            let directory: String
            do { directory = try Self.directory() } catch { return .failure(.init(seed: 0, step: 0, message: "\(error)")) }
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var totals: [String: Int] = [:]
            for seed in seeds {
                do {
                    totals.merge(try AuditedSimulation(seed: seed, steps: steps, plantedBug: plantedBug).run(in: directory), uniquingKeysWith: +)
                } catch let failure as AuditedSimulation.Failure {
                    return .failure(failure)
                } catch {
                    return .failure(.init(seed: seed, step: 0, message: "\(error)"))
                }
            }
            return .success(totals)
        }
    }

    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tuan-audit-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// 200 seeds, one after another on one thread: a core's worth of work for about ten
    /// seconds, leaving the other core to the suites that time things.
    @Test func theAuditorFindsNothingInTheCISeeds() async throws {
        let totals: [String: Int]
        switch await Self.run(1..<201) {
        case .success(let counts): totals = counts
        case .failure(let failure): Issue.record("\(failure)"); return
        }
        // The workload reaches every kind of action, answers and defaults included.
        for action in ["pledge", "replay", "conflictingReplay", "cancel", "close", "pay", "defaultPledge", "answer", "failedJob", "advanceClock"] {
            #expect(totals[action, default: 0] > 0, "\(action) never ran")
        }
        #expect(totals["answered orders", default: 0] > 0 && totals["defaulted pledges", default: 0] > 0, "\(totals)")
    }

    /// The auditor catches a fault planted in the changesets after step 30: deposit postings
    /// skipped, or campaign totals moved more than decided. It is found at the first step that
    /// writes such a changeset, and that step is named.
    @Test(arguments: [AuditedSimulation.PlantedBug.skippedPosting, .doubledCounter, .silentPledge])
    func theAuditorCatchesAPlantedBug(bug: AuditedSimulation.PlantedBug) async throws {
        guard case .failure(let failure) = await Self.run(1..<2, steps: 60, plantedBug: bug) else {
            Issue.record("the planted \(bug.rawValue) went unnoticed"); return
        }
        #expect(failure.seed == 1 && (31...60).contains(failure.step), "\(failure)")
    }

    /// The same seed is the same run: the same actions, in the same order, with the same outcome.
    @Test func aSeedReplaysExactly() async throws {
        let first = try await Self.run(42..<43).get(), second = try await Self.run(42..<43).get()
        #expect(first == second)
    }
}
