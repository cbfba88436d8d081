/// Per-request state a service defines for itself (typed, no untyped storage), in the
/// manner of Hummingbird's request context. The router fills in the route and parameters.
public protocol RequestContext: Sendable {
    init(request: HTTPRequest)
    /// The matched route pattern, e.g. "/v1/campaigns/{id}" (or "unmatched"): for metrics and logs.
    var route: String { get set }
    var parameters: [String: String] { get set }
    var requestID: String { get set }
}

extension RequestContext {
    /// A path parameter, or 404 if the route has none of that name (a programming error
    /// surfaces as a clean answer, never a crash).
    public func parameter(_ name: String) throws -> String {
        guard let value = parameters[name] else { throw HTTPError(404, code: "not_found", "no such resource") }
        return value
    }

    /// A numeric id from the path; anything else is a 404, as the resource cannot exist.
    public func id(_ name: String = "id") throws -> Int64 {
        guard let id = Int64(try parameter(name)), id > 0 else { throw HTTPError(404, code: "not_found", "no such resource") }
        return id
    }
}
