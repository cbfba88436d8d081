/// A storage operation refused for a reason an operator can act on (a file that exists or not,
/// a database in use, a file that is not ours). Carries a stable kind, the input it concerns
/// and a message, so the layer that answers can render it like any other refusal.
public struct StorageError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case notFound, conflict, invalid, unbalanced
    }

    public let kind: Kind
    public let field: String?
    public let message: String

    public init(_ kind: Kind, field: String? = nil, _ message: String) {
        self.kind = kind
        self.field = field
        self.message = message
    }

    public var description: String { message }
}
