/// One row of a result, read by column index in the text format. Reading a column as a type it
/// does not hold is a programming error, so it stops, as SQLite rows do.
public struct PostgresRow: Sendable {
    let values: [String?]

    public var count: Int { values.count }
    public func isNull(_ index: Int) -> Bool { values[index] == nil }

    public func optionalString(_ index: Int) -> String? { values[index] }
    public func string(_ index: Int) -> String {
        guard let value = values[index] else { preconditionFailure("column \(index) is NULL") }
        return value
    }

    public func optionalInt(_ index: Int) -> Int64? {
        guard let text = values[index] else { return nil }
        guard let value = Int64(text) else { preconditionFailure("column \(index) is not an integer: \(text)") }
        return value
    }
    public func int(_ index: Int) -> Int64 {
        guard let value = optionalInt(index) else { preconditionFailure("column \(index) is NULL") }
        return value
    }

    /// PostgreSQL's text form of a boolean is `t` or `f`.
    public func bool(_ index: Int) -> Bool { string(index) == "t" }
}
