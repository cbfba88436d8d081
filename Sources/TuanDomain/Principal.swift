/// Who is calling: a role, and for suppliers and group leaders which one.
public struct Principal: Hashable, Sendable {
    public enum Role: String, Sendable, CaseIterable {
        /// `leader`: a group leader (团长) handing goods out at its pickup point.
        case admin, planner, storefront, supplier, leader
    }

    public var role: Role
    public var supplierID: Int64?
    public var leaderID: Int64?

    public init(role: Role, supplierID: Int64? = nil, leaderID: Int64? = nil) {
        self.role = role
        self.supplierID = supplierID
        self.leaderID = leaderID
    }

    /// What an operator calls a token (`tuan token create --label`): ordinary text.
    public static func validateTokenLabel(_ label: String) throws(DomainError) {
        try Validate.text(label, field: "label", maxLength: 200)
    }
}
