import TuanDomain

/// An issued bearer token as operators see it: never the token, only what it is for.
public struct TokenRecord: Sendable, Equatable {
    public var id: Int64
    public var principal: Principal
    public var label: String?
    public var createdAt: Timestamp
    public var lastUsedAt: Timestamp?
    public var revokedAt: Timestamp?

    public init(id: Int64, principal: Principal, label: String? = nil, createdAt: Timestamp, lastUsedAt: Timestamp? = nil, revokedAt: Timestamp? = nil) {
        self.id = id
        self.principal = principal
        self.label = label
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}
