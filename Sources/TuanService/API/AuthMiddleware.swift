import Synchronization
import TuanDomain
import TuanHTTP
import TuanStore

/// Resolves `Authorization: Bearer …` to a principal. Routes decide what each role may do;
/// a token that is present but unknown is refused here (401), so a typo is never anonymous.
public struct AuthMiddleware: Middleware {
    let store: Store
    /// Token → principal for tokens already seen: tokens are immutable once issued. Keyed by the
    /// token itself so that a cached request costs one dictionary lookup instead of a SHA-256.
    private let cache = TokenCache()

    public init(store: Store) { self.store = store }

    public func handle(_ request: HTTPRequest, context: TuanContext, next: HTTPNext<TuanContext>) async throws -> HTTPResponse {
        guard let header = request.headers["Authorization"] else { return try await next(request, context) }
        guard let space = header.firstIndex(of: " "), header[..<space].lowercased() == "bearer",
              case let token = String(header[header.index(after: space)...].drop { $0 == " " }), !token.isEmpty else {
            throw HTTPError(401, code: "unauthorized", "Authorization must be 'Bearer <token>'",
                            headers: HTTPHeaders([("WWW-Authenticate", "Bearer")]))
        }
        var principal = cache.get(token)
        if principal == nil {
            let hash = APIToken.hash(token)
            principal = try await store.read { db in try db.principal(tokenHash: hash) }
            if let principal { cache.put(token, principal) }
        }
        guard let principal else {
            throw HTTPError(401, code: "unauthorized", "unknown token", headers: HTTPHeaders([("WWW-Authenticate", "Bearer error=\"invalid_token\"")]))
        }
        var context = context
        context.principal = principal
        return try await next(request, context)
    }
}

final class TokenCache: Sendable {
    private let entries = Mutex<[String: Principal]>([:])
    func get(_ token: String) -> Principal? { entries.withLock { $0[token] } }
    func put(_ token: String, _ principal: Principal) {
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[token] = principal
        }
    }
}
