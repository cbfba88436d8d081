import Dispatch
import Synchronization

/// Read-only connections, each confined to its own serial queue. WAL lets them read a
/// consistent snapshot while the writer commits. Blocking `sqlite3_step` calls run on
/// these queues, never on the Swift concurrency pool.
final class ReaderPool: Sendable {
    private let readers: [(queue: DispatchQueue, connection: SQLiteConnection)]
    private let next = Atomic<Int>(0)

    init(path: String, count: Int) throws {
        var readers: [(DispatchQueue, SQLiteConnection)] = []
        for index in 0..<max(1, count) {
            readers.append((DispatchQueue(label: "tuan-sqlite-reader-\(index)"), try SQLiteConnection(path: path, readOnly: true)))
        }
        self.readers = readers
    }

    func submit<T>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T,
                   completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        let index = next.add(1, ordering: .relaxed).oldValue % readers.count
        let reader = readers[index]
        reader.queue.async {
            completion(Result { try body(reader.connection) })
        }
    }
}
