/// Who is calling: a role, and for suppliers which one.
public struct Principal: Hashable, Sendable {
    public enum Role: String, Sendable, CaseIterable {
        case admin, planner, storefront, supplier
    }

    public var role: Role
    public var supplierID: Int64?

    public init(role: Role, supplierID: Int64? = nil) {
        self.role = role
        self.supplierID = supplierID
    }
}
