import Foundation
import TuanDomain
import TuanApp
import TuanSQLite

/// A seeded, single-threaded, deterministic workload on a real SQLite file, checked by an
/// auditor after every step (the shape of TigerBeetle's `auditor.zig`): random pledges, replays
/// and conflicting replays, cancellations, closes, payments, defaults, supplier answers and
/// injected job failures. The auditor keeps its own expected state, checks every reply
/// against it, and checks every invariant after every step. The same seed replays exactly.
public struct AuditedSimulation: Sendable {
    /// A fault planted in the changesets the domain decides, for showing that the auditor
    /// catches one (`ChangesetFaults`).
    public typealias PlantedBug = ChangesetFaults.Fault

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var seed: UInt64
        public var step: Int
        public var message: String
        public var description: String { "seed \(seed), step \(step): \(message)" }
    }

    public var seed: UInt64
    public var steps: Int
    public var plantedBug: PlantedBug?

    public init(seed: UInt64, steps: Int = 120, plantedBug: PlantedBug? = nil) {
        self.seed = seed
        self.steps = steps
        self.plantedBug = plantedBug
    }

    /// Runs the workload on a new database in `directory`; throws the first `Failure`.
    /// Returns how many times each kind of action ran, for seeing that the workload reaches them all.
    @discardableResult
    public func run(in directory: String) throws -> [String: Int] {
        let path = (directory as NSString).appendingPathComponent("audit-\(seed).db")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let app = TuanApplication(engine: try SQLiteEngine(path: path, readers: 1))
        defer {
            app.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        var world = try SimulationWorld(app: app, seed: seed)
        var auditor = SimulationAuditor(seed: seed)
        var actions: [String: Int] = [:]
        for step in 1...steps {
            auditor.step = step
            let action = world.nextAction()
            actions["\(action)", default: 0] += 1
            do {
                try world.perform(action, auditor: &auditor)
            } catch {
                // A step that throws (the store refusing a write as corrupt, say) fails the run at that step.
                throw Failure(seed: seed, step: step, message: "\(action) failed: \(error)")
            }
            if let plantedBug, step == steps / 2 { app.faults.plant(plantedBug) }
            try auditor.checkInvariants(app: app, model: world.model)
        }
        let campaignIDs = Array(world.model.campaigns.keys)
        let outcomes = try app.snapshotBlocking { db in
            (try db.purchaseOrders().filter { $0.status != .open }.count,
             try campaignIDs.flatMap { try db.pledges(campaignID: $0) }.filter { $0.status == .defaulted }.count)
        }
        actions["answered orders"] = outcomes.0
        actions["defaulted pledges"] = outcomes.1
        return actions
    }
}
