import TuanDomain
import TuanHTTP

/// What each role may do: one table for the API routes and for the page forms and views that
/// do the same thing, so a page can never allow what its route refuses. (A planner could answer
/// any supplier's order through the supplier page while the API refused it: the page checked
/// ownership for suppliers only and no role at all.)
enum Permission: String, CaseIterable, Sendable {
    /// Answer a purchase order (`POST /v1/purchase-orders/{id}/acknowledgement`, the supplier
    /// page's answer form). Suppliers only for their own orders.
    case answerPurchaseOrder = "answer_purchase_order"
    /// Read purchase orders (suppliers their own).
    case readPurchaseOrders = "read_purchase_orders"
    /// Forecasts and plans (the API's forecast routes, the planner dashboard).
    case readForecasts = "read_forecasts"
    /// Send an order again (`POST /v1/purchase-orders/{id}/redeliver`).
    case redeliverPurchaseOrder = "redeliver_purchase_order"
    /// Record what arrived of an order (`POST /v1/purchase-orders/{id}/receipts`).
    case receivePurchaseOrder = "receive_purchase_order"
    /// Read stock levels (`GET /v1/stock`).
    case readStock = "read_stock"
    /// Hand goods out at a pickup point and see its list (`/v1/pickups`, the leader page).
    case handOut = "hand_out"

    var roles: Set<Principal.Role> {
        switch self {
        case .answerPurchaseOrder: [.supplier, .admin]
        case .readPurchaseOrders: [.admin, .planner, .supplier]
        case .readForecasts: [.admin, .planner]
        case .redeliverPurchaseOrder: [.admin]
        case .receivePurchaseOrder: [.admin, .leader]
        case .readStock: [.admin, .planner]
        case .handOut: [.leader, .admin]
        }
    }

    /// 403 unless `principal`'s role has this permission.
    func check(_ principal: Principal) throws {
        guard roles.contains(principal.role) else {
            throw HTTPError(403, code: "forbidden", "the \(principal.role.rawValue) role may not \(rawValue.replacingOccurrences(of: "_", with: " "))")
        }
    }
}

extension TuanContext {
    /// 401 without credentials, 403 without `permission`.
    func require(_ permission: Permission) throws -> Principal {
        let principal = try require(Principal.Role.allCases)
        try permission.check(principal)
        return principal
    }
}
