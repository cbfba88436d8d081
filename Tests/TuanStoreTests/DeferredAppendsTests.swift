import Foundation
import Testing
import TuanTesting
@testable import TuanStore
import TuanDomain

/// Rows deferred to COMMIT through the group-commit writer: every job that succeeds has its
/// items written exactly once, however its batch ends, and a failed job's are not written.
@Suite struct DeferredAppendsTests {
    /// One row per flushed group: its key and the ids, in order.
    static func write(_ connection: SQLiteConnection, _ key: [SQLiteValue], _ ids: [Int64]) throws {
        try connection.run("INSERT INTO flushed(key, ids) VALUES (?, ?)", [key[0], .text(ids.map(String.init).joined(separator: ","))])
    }

    struct Refused: Error {}

    @Test(arguments: [1, 2, 3] as [UInt64])
    func eachSucceedingJobsItemsAreWrittenOnce(seed: UInt64) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tuan-deferred-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(path: directory.appendingPathComponent("d.db").path, readers: 1, migrate: { connection in
            try connection.run("CREATE TABLE IF NOT EXISTS marks(id INTEGER PRIMARY KEY)")
            try connection.run("CREATE TABLE IF NOT EXISTS flushed(id INTEGER PRIMARY KEY, key TEXT, ids TEXT)")
        })
        defer { store.close() }
        // Jobs race into shared batches: each writes a row, defers its id under one of two keys;
        // some flush midway (as an event that must follow them does); some fail after writing
        // (the batch is replayed in savepoints) or before (nothing to undo).
        var generator = SeededGenerator(seed: seed)
        let plans = (1...300).map { id in (id: Int64(id), flushes: generator.next() % 5 == 0, fate: generator.next() % 7) }
        let outcomes = await withTaskGroup(of: (Int64, Bool).self) { group in
            for plan in plans {
                group.addTask {
                    do {
                        try await store.withWriter { connection in
                            if plan.fate == 0 { throw Refused() }
                            try connection.run("INSERT INTO marks(id) VALUES (?)", [.integer(plan.id)])
                            connection.deferAppend([.text(plan.id % 2 == 0 ? "even" : "odd")], id: plan.id, writer: Self.write)
                            if plan.flushes { try connection.flushDeferredAppends() }
                            if plan.fate == 1 { throw Refused() }
                        }
                        return (plan.id, true)
                    } catch {
                        return (plan.id, false)
                    }
                }
            }
            var all: [(Int64, Bool)] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        let succeeded = Set(outcomes.filter(\.1).map(\.0))
        #expect(succeeded == Set(plans.filter { $0.fate > 1 }.map(\.id)))
        let (marks, flushed) = try store.withReaderSync { connection in
            (Set(try connection.query("SELECT id FROM marks", []) { $0.int(0) }),
             try connection.query("SELECT key, ids FROM flushed ORDER BY id", []) { ($0.string(0), $0.string(1)) })
        }
        #expect(marks == succeeded)
        let written = flushed.flatMap { row in row.1.split(separator: ",").map { (row.0, Int64($0)!) } }
        #expect(written.count == succeeded.count, "each id once")
        #expect(Set(written.map(\.1)) == succeeded)
        #expect(written.allSatisfy { ($0.1 % 2 == 0) == ($0.0 == "even") })
        // Grouped: far fewer rows than ids (the point of deferring).
        #expect(flushed.count < succeeded.count)
    }
}
