import Testing
@testable import TuanStore

/// The write-behind against a model: jobs add deltas to random rows (past the point where it
/// indexes rows instead of scanning them), and each job either keeps its deltas or is undone
/// through its mark; at every "commit" the pending rows, their order and their sums match the
/// model, and the stored values move by exactly what was kept.
@Suite struct WriteBehindTests {
    static let table = CounterTable(name: "t", keyCount: 1, columnCount: 2, select: "", upsert: "")

    /// A small deterministic generator (a failing seed replays).
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func marksUndoExactlyWhatTheirJobAdded(seed: UInt64) throws {
        var random = Generator(state: seed)
        var behind = WriteBehind()
        var order: [Int] = [], deltas: [Int: [Int64]] = [:], stored: [Int: [Int64]] = [:]
        func row(_ key: Int) -> CounterRow { CounterRow(Self.table, [.integer(Int64(key))]) }
        for job in 1...400 {
            let (orderBefore, deltasBefore) = (order, deltas)
            let mark = behind.mark()
            for _ in 0...random.next(4) {
                let key = random.next(40), change: [Int64] = [Int64(random.next(11) - 5), Int64(random.next(3))]
                _ = try behind.add(Counters(change), to: row(key)) { _ in Counters(stored[key] ?? [Int64(key) * 100, 0]) }
                if deltas[key] == nil { order.append(key) }
                deltas[key] = zip(deltas[key] ?? [0, 0], change).map { $0 + $1 }
            }
            if random.next(3) == 0 {
                behind.undo(to: mark)
                (order, deltas) = (orderBefore, deltasBefore)
            } else {
                behind.release(mark)
            }
            guard job % 25 == 0 else { continue }
            #expect(behind.pending.map { $0.row.key } == order.map { [.integer(Int64($0))] }, "seed \(seed) job \(job)")
            #expect(behind.pending.map(\.delta.array) == order.map { deltas[$0]! }, "seed \(seed) job \(job)")
            for key in order { #expect(behind.lookup(row(key)).pending?.array == deltas[key]) }
            behind.written()
            for key in order {
                stored[key] = zip(stored[key] ?? [Int64(key) * 100, 0], deltas[key]!).map { $0 + $1 }
                #expect(behind.lookup(row(key)).stored?.array == stored[key], "seed \(seed) job \(job) row \(key)")
            }
            (order, deltas) = ([], [:])
            #expect(behind.isEmpty)
        }
    }
}
