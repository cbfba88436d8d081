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

    /// What an operator calls a token (`tuan token create --label`): ordinary text.
    public static func validateTokenLabel(_ label: String) throws(DomainError) {
        try Validate.text(label, field: "label", maxLength: 200)
    }
}
