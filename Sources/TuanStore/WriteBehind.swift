/// The counter deltas of the open transaction (see `CounterTable`), summed per row, and the
/// stored values this connection last read or wrote. Owned by one connection.
///
/// Every delta is checked when it is added, against the row's stored value: a sum that would
/// leave Int64 is refused before anything changes (SQLite would otherwise store it as a
/// rounded REAL). Stored values are remembered across transactions, so checking costs no read
/// on the usual path; they are dropped when another connection commits (`PRAGMA data_version`,
/// checked once per transaction) and on rollback.
struct WriteBehind {
    struct Entry {
        let stored: [Int64]
        var delta: [Int64]
    }

    private(set) var tables: [ObjectIdentifier: CounterTable] = [:]
    /// Rows with deltas, in the order first touched: the order they are written in.
    private(set) var order: [CounterRow] = []
    private(set) var entries: [CounterRow: Entry] = [:]
    private var known: [CounterRow: [Int64]] = [:]

    var isEmpty: Bool { order.isEmpty }

    func stored(_ row: CounterRow) -> [Int64]? { entries[row]?.stored ?? known[row] }

    func delta(_ row: CounterRow) -> [Int64]? { entries[row]?.delta }

    /// Adds `deltas` to `row`, whose stored value is `stored`; refuses a sum out of range.
    mutating func add(_ deltas: [Int64], to row: CounterRow, of table: CounterTable, stored: [Int64]) throws {
        precondition(deltas.count == table.columnCount, "\(table.name) has \(table.columnCount) counters")
        var entry = entries[row] ?? Entry(stored: stored, delta: Array(repeating: 0, count: deltas.count))
        for column in deltas.indices {
            let (change, changeOverflow) = entry.delta[column].addingReportingOverflow(deltas[column])
            let (total, totalOverflow) = entry.stored[column].addingReportingOverflow(change)
            // Int64.min is out of range too: every counter can then be negated when shown.
            guard !changeOverflow, !totalOverflow, total != .min else {
                throw CounterOverflowError(table: table.name, key: row.key)
            }
            entry.delta[column] = change
        }
        if entries.updateValue(entry, forKey: row) == nil {
            order.append(row)
            tables[row.table] = table
        }
    }

    mutating func remember(_ row: CounterRow, stored: [Int64]) { known[row] = stored }

    /// The writes to make at COMMIT, after checking each double-entry table sums to zero.
    func checkedWrites() throws -> [(CounterTable, CounterRow, Entry)] {
        var sums: [[SQLiteValue]: [Int64]] = [:]
        for row in order {
            guard let table = tables[row.table], let group = table.zeroSumGroup, let entry = entries[row] else { continue }
            let groupKey = [.text(table.name), row.key[group]]
            var sum = sums[groupKey] ?? Array(repeating: 0, count: entry.delta.count)
            for column in sum.indices { sum[column] &+= entry.delta[column] }
            sums[groupKey] = sum
        }
        for (group, sum) in sums where sum.contains(where: { $0 != 0 }) {
            throw StoreInvariantError("the deltas to \(group[0]) for \(group[1]) sum to \(sum), not zero: a changeset skipped or doubled a posting")
        }
        return order.map { (tables[$0.table]!, $0, entries[$0]!) }
    }

    /// After the writes: the stored values are now stored + delta, and nothing is pending.
    mutating func written() {
        for row in order {
            let entry = entries[row]!
            known[row] = zip(entry.stored, entry.delta).map { $0 &+ $1 }
        }
        order.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
    }

    /// Another connection committed: stored values may have changed.
    mutating func forgetStored() { known.removeAll() }

    /// After a rollback of the whole transaction: nothing pending, nothing remembered.
    mutating func forgetAll() {
        order.removeAll()
        entries.removeAll()
        known.removeAll()
    }

    /// Undoes what was added since `snapshot` was taken (a job's writes rolled back),
    /// keeping what the connection learnt of stored values meanwhile.
    mutating func restorePending(from snapshot: WriteBehind) {
        order = snapshot.order
        entries = snapshot.entries
        tables = snapshot.tables
    }
}
