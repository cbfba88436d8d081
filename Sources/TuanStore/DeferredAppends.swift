/// Rows a transaction defers to its COMMIT so that alike ones are written as one: the events
/// of a group-commit batch's pledges become one row per campaign instead of one per pledge.
/// Items are keyed (`key` groups them); a writer registered with the first item writes a
/// group's ids. Kept with the counter deltas (`WriteBehind`), so a job undone by the writer
/// takes its items back out, and a job whose savepoint rolls back a flush makes the items that
/// flush wrote pending again.
struct DeferredAppends {
    typealias Writer = (SQLiteConnection, [SQLiteValue], [Int64]) throws -> Void

    private(set) var items: [(key: [SQLiteValue], id: Int64)] = []
    /// Items before this index have been written in the open transaction.
    private(set) var flushed = 0
    var writer: Writer?

    var hasUnflushed: Bool { flushed < items.count }

    mutating func append(_ key: [SQLiteValue], id: Int64, writer: @escaping Writer) {
        items.append((key, id))
        if self.writer == nil { self.writer = writer }
    }

    /// The unwritten items grouped by key, groups in the order first seen.
    func unflushedGroups() -> [(key: [SQLiteValue], ids: [Int64])] {
        var groups: [(key: [SQLiteValue], ids: [Int64])] = []
        for item in items[flushed...] {
            if let index = groups.firstIndex(where: { $0.key == item.key }) {
                groups[index].ids.append(item.id)
            } else {
                groups.append((item.key, [item.id]))
            }
        }
        return groups
    }

    mutating func markFlushed() { flushed = items.count }

    /// Back to a job's mark: its items dropped, and what was flushed since written again.
    mutating func undo(items count: Int, flushed mark: Int) {
        precondition(count <= items.count && mark <= flushed, "marks are undone innermost first")
        items.removeSubrange(count...)
        flushed = mark
    }

    mutating func clear() {
        items.removeAll(keepingCapacity: true)
        flushed = 0
    }
}
