/// A parameter or a column value, sent and read in PostgreSQL's text format: integers as their
/// decimal digits (exact at any Int64), text as UTF-8. The text format keeps the wire format out
/// of our code; the server parses and checks each value against its parameter's type.
public enum PostgresValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)

    public init(_ value: Int64?) { self = value.map(PostgresValue.integer) ?? .null }
    public init(_ value: String?) { self = value.map(PostgresValue.text) ?? .null }

    /// What libpq is handed for the parameter; nil is SQL NULL.
    var wire: String? {
        switch self {
        case .null: nil
        case .integer(let value): String(value)
        case .text(let value): value
        }
    }
}
