/// Transactions over `Repositories`. Only the application opens them: it owns every use case
/// and its transaction boundary.
///
/// `write` bodies may run twice (a group commit replays a batch when one of its jobs fails
/// after writing), so they must have no effect outside the transaction.
public protocol StorageEngine: Sendable {
    func write<T: Sendable>(_ body: @escaping @Sendable (any Repositories) throws -> T) async throws -> T
    func read<T: Sendable>(_ body: @escaping @Sendable (any Repositories) throws -> T) async throws -> T
    /// The blocking forms, for threads that may block (the command line, worker threads).
    func writeSync<T: Sendable>(_ body: @escaping @Sendable (any Repositories) throws -> T) throws -> T
    func readSync<T: Sendable>(_ body: @escaping @Sendable (any Repositories) throws -> T) throws -> T
    /// The engine's own figures (writer batches, checkpoints), as Prometheus text lines.
    func metricLines() -> [String]
    func close()
}
