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

    /// Rows with deltas, in the order first touched: the order they are written in.
    private(set) var order: [CounterRow] = []
    private(set) var entries: [CounterRow: Entry] = [:]
    private var known: [CounterRow: [Int64]] = [:]
    /// At most this many stored values are remembered (one per campaign and balance touched);
    /// past it they are dropped and read again as needed.
    static let knownLimit = 10_000

    var isEmpty: Bool { order.isEmpty }

    func delta(_ row: CounterRow) -> [Int64]? { entries[row]?.delta }

    /// The row's stored value, if remembered.
    func stored(_ row: CounterRow) -> [Int64]? { entries[row]?.stored ?? known[row] }

    /// Adds `deltas` to `row`, whose stored value `stored()` reads when the row has no entry
    /// yet; refuses a sum out of range. Returns the row's counters with the deltas added.
    mutating func add(_ deltas: [Int64], to row: CounterRow, stored: (CounterRow) throws -> [Int64]) throws -> [Int64] {
        let table = row.table
        precondition(deltas.count == table.columnCount, "\(table.name) has \(table.columnCount) counters")
        // One hash of the key on the usual path (the row already has an entry).
        let index = entries.index(forKey: row)
        var entry: Entry
        if let index {
            entry = entries.values[index]
        } else if let known = known[row] {
            entry = Entry(stored: known, delta: Array(repeating: 0, count: deltas.count))
        } else {
            let read = try stored(row)
            if known.count >= Self.knownLimit { known.removeAll(keepingCapacity: true) }
            known[row] = read
            entry = Entry(stored: read, delta: Array(repeating: 0, count: deltas.count))
        }
        var totals = entry.stored
        for column in deltas.indices {
            let (change, changeOverflow) = entry.delta[column].addingReportingOverflow(deltas[column])
            let (total, totalOverflow) = entry.stored[column].addingReportingOverflow(change)
            // Int64.min is out of range too: every counter can then be negated when shown.
            guard !changeOverflow, !totalOverflow, total != .min else {
                throw CounterOverflowError(table: table.name, key: row.key)
            }
            entry.delta[column] = change
            totals[column] = total
        }
        if let index {
            entries.values[index] = entry
        } else {
            entries[row] = entry
            order.append(row)
        }
        return totals
    }

    /// Checks that each double-entry table's deltas sum to zero per group, column by column.
    /// A handful of rows are pending (two or three balances a currency): compared pairwise,
    /// with no allocation.
    func checkZeroSums() throws {
        for (position, row) in order.enumerated() {
            let table = row.table
            guard let group = table.zeroSumGroup else { continue }
            // Each group is checked once, from its first row.
            if order[..<position].contains(where: { $0.table === table && $0.key[group] == row.key[group] }) { continue }
            for column in 0..<table.columnCount {
                var sum: Int64 = 0
                for other in order[position...] where other.table === table && other.key[group] == row.key[group] {
                    sum &+= entries[other]!.delta[column]
                }
                guard sum == 0 else {
                    throw StoreInvariantError("the deltas to \(table.name) for \(row.key[group]) sum to \(sum), not zero: a changeset skipped or doubled a posting")
                }
            }
        }
    }

    /// The pending rows, in the order first touched: what COMMIT writes.
    var pendingWrites: some Sequence<(CounterRow, Entry)> {
        order.lazy.map { ($0, entries[$0]!) }
    }

    /// After the writes: the stored values are now stored + delta, and nothing is pending.
    mutating func written() {
        if known.count + entries.count > Self.knownLimit { known.removeAll(keepingCapacity: true) }
        for (row, entry) in entries {
            var totals = entry.stored
            for column in totals.indices { totals[column] &+= entry.delta[column] }
            known[row] = totals
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
    }
}
