import Foundation
import TuanApp
import TuanSQLite
import TuanStore

/// The one store fixture: Tuan's database on a temporary file of its own, the application
/// over it, and the directory removed when the fixture goes away.
public final class TestDatabase: @unchecked Sendable {
    public let directory: URL
    public let path: String
    public let engine: SQLiteEngine
    public let app: TuanApplication

    public convenience init(readers: Int = 2) throws {
        try self.init { path in try SQLiteEngine(path: path, readers: readers) }
    }

    /// With the engine `open` makes at the path (a test of the store's own settings, such as
    /// its checkpoint thresholds, opens it with those); `open` must migrate the database.
    public init(open: (String) throws -> SQLiteEngine) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tuan-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("tuan.db").path
        engine = try open(path)
        app = TuanApplication(engine: engine)
    }

    /// The store beneath, for a test that sets up a state no use case produces.
    public var store: Store { engine.store }

    deinit {
        engine.close()
        try? FileManager.default.removeItem(at: directory)
    }
}
