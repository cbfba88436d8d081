import Foundation
import TuanDomain

/// `tuan simulate-audit`: runs seeded audited simulations (`AuditedSimulation`) and reports the
/// first failing seed, which replays exactly with `--from SEED --seeds 1`.
enum AuditCommands {
    static var all: [CommandSpec] { [simulateAudit] }

    static let simulateAudit = CommandSpec(
        path: ["simulate-audit"], summary: "run seeded workloads checked by an auditor after every step; print seeds/s and the first failing seed",
        options: [.value("seeds", "N", "how many seeds (default 100)"), .value("from", "SEED", "the first seed (default 1)"),
                  .value("steps", "N", "actions per seed (default 120)"),
                  .value("plant", "BUG", "plant a fault to see the auditor catch it: skipped-posting, doubled-counter or silent-pledge")]
    ) { args, ctx in
        let seeds = try args.int("seeds") ?? 100, first = try args.int("from") ?? 1, steps = try args.int("steps") ?? 120
        guard (1...1_000_000).contains(seeds), first >= 0, (1...100_000).contains(steps) else {
            throw DomainError.invalid("seeds", "seeds 1-1000000, from 0 or more, steps 1-100000")
        }
        let plant = try args.value("plant").map { text throws(DomainError) -> AuditedSimulation.PlantedBug in
            guard let bug = AuditedSimulation.PlantedBug(rawValue: text) else { throw DomainError.invalid("plant", "is skipped-posting, doubled-counter or silent-pledge") }
            return bug
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tuan-audit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let started = ContinuousClock.now
        var passed: Int64 = 0
        var failure: AuditedSimulation.Failure?
        var totals: [String: Int] = [:]
        for seed in UInt64(first)..<UInt64(first + seeds) {
            do {
                let counts = try AuditedSimulation(seed: seed, steps: Int(steps), plantedBug: plant).run(in: directory)
                totals.merge(counts, uniquingKeysWith: +)
                passed += 1
            } catch let found as AuditedSimulation.Failure {
                failure = found
                break
            }
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(passed + (failure == nil ? 0 : 1)) / seconds : 0
        var text = "\(passed) of \(seeds) seeds passed (\(steps) steps each), \(String(format: "%.1f", rate)) seeds/s"
        if !totals.isEmpty { text += "\n" + totals.keys.sorted().map { "\($0) \(totals[$0]!)" }.joined(separator: ", ") }
        if let failure { text += "\nfirst failing seed: \(failure)\nreplay: tuan simulate-audit --from \(failure.seed) --seeds 1 --steps \(steps)" }
        guard failure == nil else { throw DomainError(.conflict, text) }
        return CommandOutput(text: text, json: ["seeds": .int(seeds), "passed": .int(passed), "seeds_per_second": .double(rate)])
    }
}
