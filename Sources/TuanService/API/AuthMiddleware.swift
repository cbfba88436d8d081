import TuanDomain
import TuanHTTP
import TuanApp

/// Resolves `Authorization: Bearer …` to a principal. Routes decide what each role may do;
/// a token that is present but unknown or revoked is refused here (401), so a typo is never
/// anonymous.
public struct AuthMiddleware: Middleware {
    let tokens: TokenVerifier

    init(tokens: TokenVerifier) { self.tokens = tokens }

    public func handle(_ request: HTTPRequest, context: TuanContext, next: HTTPNext<TuanContext>) async throws -> HTTPResponse {
        guard let header = request.headers["Authorization"] else { return try await next(request, context) }
        guard let space = header.firstIndex(of: " "), header[..<space].lowercased() == "bearer",
              case let token = String(header[header.index(after: space)...].drop { $0 == " " }), !token.isEmpty else {
            throw HTTPError(401, code: "unauthorized", "Authorization must be 'Bearer <token>'",
                            headers: HTTPHeaders([("WWW-Authenticate", "Bearer")]))
        }
        let principal: Principal?
        if let known = tokens.cachedPrincipal(token: token) { principal = known } else { principal = try await tokens.verify(token: token) }
        guard let principal else {
            throw HTTPError(401, code: "unauthorized", "unknown or revoked token", headers: HTTPHeaders([("WWW-Authenticate", "Bearer error=\"invalid_token\"")]))
        }
        var context = context
        context.principal = principal
        return try await next(request, context)
    }
}
