extension SQLiteConnection {
    /// Adds `deltas` to a counter row in the open transaction; the row is written once, at
    /// COMMIT, with the sum of every delta the transaction added to it. Throws
    /// `CounterOverflowError` (and changes nothing) if a counter would leave Int64.
    /// Returns the row's counters as the transaction now sees them.
    @discardableResult
    public func add(_ deltas: Counters, to table: CounterTable, key: [SQLiteValue]) throws -> Counters {
        precondition(inTransaction, "counter deltas are written at COMMIT: add them inside a transaction")
        let handle = self
        return try writeBehind.add(deltas, to: CounterRow(table, key)) { try handle.queryStored($0) }
    }

    /// A row's counters as this connection knows them, for a caller that read (or remembers)
    /// the row's other columns itself: `stored` as last read or written here, nil when not
    /// remembered (valid while `storedDataEpoch` is unchanged); `pending`, the deltas this
    /// transaction added and has not yet written, nil when none.
    public func counters(_ table: CounterTable, key: [SQLiteValue]) -> (stored: Counters?, pending: Counters?) {
        writeBehind.lookup(CounterRow(table, key))
    }

    /// Whether deltas to `table` wait for COMMIT: a plain statement over the table would then
    /// read stale counters, so a repository that sums the whole table checks this first.
    public func hasPendingDeltas(_ table: CounterTable) -> Bool {
        writeBehind.hasPending(table)
    }

    /// The row's stored counters (zeros for no row); touches nothing else.
    private func queryStored(_ row: CounterRow) throws -> Counters {
        let table = row.table
        return try queryOne(table.select, row.key) { result in
            var counters = Counters(zeros: table.columnCount)
            for column in counters.indices { counters[column] = result.int(Int32(column)) }
            return counters
        } ?? Counters(zeros: table.columnCount)
    }
}

/// A cache the layers above keep per connection (immutable rows by id, say). A connection is
/// confined to one thread, so a memo needs no lock. Told to forget on every rollback, since a
/// rolled-back insert frees its id for reuse.
public protocol ConnectionMemo: AnyObject {
    init()
    func forget()
}
