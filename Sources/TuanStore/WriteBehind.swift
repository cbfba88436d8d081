/// The counter deltas of the open transaction (see `CounterTable`), summed per row, and the
/// stored values this connection last read or wrote. Owned by one connection.
///
/// Every delta is checked when it is added, against the row's stored value: a sum that would
/// leave Int64 is refused before anything changes (SQLite would otherwise store it as a
/// rounded REAL). Stored values are remembered across transactions, so checking costs no read
/// on the usual path; they are dropped when another connection commits (`PRAGMA data_version`,
/// checked once per transaction) and on rollback.
///
/// A job's deltas are undone through a mark (`mark`, `undo(to:)`) that logs only what the job
/// changes: copying the whole state per job cost a dictionary copy per job, growing with the
/// rows of the batch and with every row remembered.
struct WriteBehind {
    struct Entry {
        let row: CounterRow
        let stored: Counters
        var delta: Counters
    }

    /// Where a job began: the rows pending then, and the undo log's length.
    struct Mark {
        fileprivate let rows: Int
        fileprivate let log: Int
        fileprivate let appends: Int
        fileprivate let appendsFlushed: Int
    }

    /// Rows deferred to COMMIT (`DeferredAppends`), undone with the deltas.
    var appends = DeferredAppends()

    /// Rows with deltas, in the order first touched: the order they are written in.
    private(set) var pending: [Entry] = []
    /// Positions in `pending` by row, kept once a batch touches more rows than a scan should pass.
    private var positions: [CounterRow: Int] = [:]
    private static let scanLimit = 16
    /// Earlier deltas of rows that jobs since the oldest open mark changed.
    private var undoLog: [(position: Int, delta: Counters)] = []
    private var marks = 0
    private var known: [CounterRow: Counters] = [:]
    /// At most this many stored values are remembered (one per campaign and balance touched);
    /// past it they are dropped and read again as needed.
    static let knownLimit = 10_000

    var isEmpty: Bool { pending.isEmpty }

    private func position(of row: CounterRow) -> Int? {
        pending.count <= Self.scanLimit ? pending.firstIndex { $0.row == row } : positions[row]
    }

    /// The row's stored value, if remembered, and its pending delta, if any, in one search.
    func lookup(_ row: CounterRow) -> (stored: Counters?, pending: Counters?) {
        guard let position = position(of: row) else { return (known[row], nil) }
        return (pending[position].stored, pending[position].delta)
    }

    /// Whether any row of `table` has deltas waiting.
    func hasPending(_ table: CounterTable) -> Bool { pending.contains { $0.row.table === table } }

    /// Adds `deltas` to `row`, whose stored value `stored()` reads when the row has no entry
    /// yet; refuses a sum out of range. Returns the row's counters with the deltas added.
    mutating func add(_ deltas: Counters, to row: CounterRow, stored: (CounterRow) throws -> Counters) throws -> Counters {
        let table = row.table
        precondition(deltas.count == table.columnCount, "\(table.name) has \(table.columnCount) counters")
        let existing = position(of: row)
        let base: Counters, previous: Counters
        if let existing {
            (base, previous) = (pending[existing].stored, pending[existing].delta)
        } else if let known = known[row] {
            (base, previous) = (known, Counters(zeros: deltas.count))
        } else {
            let read = try stored(row)
            if known.count >= Self.knownLimit { known.removeAll(keepingCapacity: true) }
            known[row] = read
            (base, previous) = (read, Counters(zeros: deltas.count))
        }
        var delta = previous, totals = base
        for column in deltas.indices {
            let (change, changeOverflow) = previous[column].addingReportingOverflow(deltas[column])
            let (total, totalOverflow) = base[column].addingReportingOverflow(change)
            // Int64.min is out of range too: every counter can then be negated when shown.
            guard !changeOverflow, !totalOverflow, total != .min else {
                throw CounterOverflowError(table: table.name, key: row.key)
            }
            delta[column] = change
            totals[column] = total
        }
        if let existing {
            if marks > 0 { undoLog.append((existing, previous)) }
            pending[existing].delta = delta
        } else {
            pending.append(Entry(row: row, stored: base, delta: delta))
            indexLast()
        }
        return totals
    }

    private mutating func indexLast() {
        guard pending.count > Self.scanLimit else { return }
        if positions.isEmpty {
            for (position, entry) in pending.enumerated() { positions[entry.row] = position }
        } else {
            positions[pending[pending.count - 1].row] = pending.count - 1
        }
    }

    /// Checks that each double-entry table's deltas sum to zero per group, column by column.
    /// A handful of rows are pending (two or three balances a currency): compared pairwise,
    /// with no allocation.
    func checkZeroSums() throws {
        for (position, entry) in pending.enumerated() {
            let table = entry.row.table
            guard let group = table.zeroSumGroup else { continue }
            let groupKey = entry.row.key[group]
            // Each group is checked once, from its first row.
            if pending[..<position].contains(where: { $0.row.table === table && $0.row.key[group] == groupKey }) { continue }
            for column in 0..<table.columnCount {
                var sum: Int64 = 0
                for other in pending[position...] where other.row.table === table && other.row.key[group] == groupKey {
                    sum &+= other.delta[column]
                }
                guard sum == 0 else {
                    throw StoreInvariantError("the deltas to \(table.name) for \(groupKey) sum to \(sum), not zero: a changeset skipped or doubled a posting")
                }
            }
        }
    }

    /// After the writes: the stored values are now stored + delta, and nothing is pending.
    mutating func written() {
        if known.count + pending.count > Self.knownLimit { known.removeAll(keepingCapacity: true) }
        for entry in pending {
            var totals = entry.stored
            for column in totals.indices { totals[column] &+= entry.delta[column] }
            known[entry.row] = totals
        }
        clearPending()
    }

    private mutating func clearPending() {
        appends.clear()
        pending.removeAll(keepingCapacity: true)
        if !positions.isEmpty { positions = [:] }
        undoLog.removeAll(keepingCapacity: true)
        marks = 0
    }

    /// Another connection committed: stored values may have changed.
    mutating func forgetStored() { known.removeAll() }

    /// After a rollback of the whole transaction: nothing pending, nothing remembered.
    mutating func forgetAll() {
        clearPending()
        known.removeAll()
    }

    /// Where a job begins; `undo(to:)` takes its deltas back out, `release` keeps them.
    mutating func mark() -> Mark {
        marks += 1
        return Mark(rows: pending.count, log: undoLog.count, appends: appends.items.count, appendsFlushed: appends.flushed)
    }

    /// The job succeeded: its deltas stay.
    mutating func release(_ mark: Mark) {
        marks -= 1
        if marks == 0 { undoLog.removeAll(keepingCapacity: true) }
    }

    /// Undoes what was added since `mark` (a job's writes rolled back), keeping what the
    /// connection learnt of stored values meanwhile.
    mutating func undo(to mark: Mark) {
        precondition(mark.rows <= pending.count && mark.log <= undoLog.count, "marks are undone innermost first")
        for (position, delta) in undoLog[mark.log...].reversed() where position < mark.rows {
            pending[position].delta = delta
        }
        undoLog.removeSubrange(mark.log...)
        for entry in pending[mark.rows...] where !positions.isEmpty { positions[entry.row] = nil }
        pending.removeSubrange(mark.rows...)
        if pending.count <= Self.scanLimit, !positions.isEmpty { positions = [:] }
        appends.undo(items: mark.appends, flushed: mark.appendsFlushed)
        release(mark)
    }
}
