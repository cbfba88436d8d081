import TuanDomain
import TuanHTTP

/// Per-request state for Tuan's routes: the router's fields plus who is calling.
public struct TuanContext: RequestContext {
    public var route = ""
    public var parameters: [String: String] = [:]
    public var requestID = ""
    public var principal: Principal?

    public init(request: HTTPRequest) {}

    /// 401 without credentials, 403 with the wrong role.
    public func require(_ roles: Principal.Role...) throws -> Principal { try require(roles) }

    func require(_ roles: [Principal.Role]) throws -> Principal {
        guard let principal else {
            throw HTTPError(401, code: "unauthorized", "a bearer token is required",
                            headers: HTTPHeaders([("WWW-Authenticate", "Bearer")]))
        }
        guard roles.contains(principal.role) else {
            throw HTTPError(403, code: "forbidden", "the \(principal.role.rawValue) role may not do this")
        }
        return principal
    }
}
