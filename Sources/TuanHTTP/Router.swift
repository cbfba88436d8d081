/// Routes by method and path pattern (`/v1/campaigns/{id}/pledges`), runs the middleware
/// chain, and renders thrown `HTTPError`s. Built once before the server starts.
public struct Router<Context: RequestContext>: HTTPResponder {
    public typealias Handler = @Sendable (HTTPRequest, Context) async throws -> HTTPResponse

    private struct Route: Sendable {
        var method: String
        var pattern: String
        var handler: Handler
        /// The middleware chain ending in this route's handler, built when routes or
        /// middleware are added rather than on every request.
        var chain: HTTPNext<Context>
    }

    private var table = RouteTable()
    private var routes: [Route] = []
    private var middlewares: [any Middleware<Context>] = []
    /// Called for errors that are not `HTTPError` (e.g. domain errors) to pick a response.
    private var errorMapper: @Sendable (any Error, Context) -> HTTPResponse = { _, _ in
        .error(500, code: "internal_error", message: "internal error")
    }

    public init() {}

    public mutating func add(_ middleware: some Middleware<Context>) {
        middlewares.append(middleware)
        rebuildChains()
    }

    public mutating func mapErrors(_ mapper: @escaping @Sendable (any Error, Context) -> HTTPResponse) {
        errorMapper = mapper
        rebuildChains()
    }

    public mutating func on(_ method: String, _ pattern: String, _ handler: @escaping Handler) {
        let index = table.add(method: method, pattern: pattern)
        assert(index == routes.count)
        routes.append(Route(method: method, pattern: pattern, handler: handler, chain: chain(ending: handler)))
    }

    public mutating func get(_ pattern: String, _ handler: @escaping Handler) { on("GET", pattern, handler) }
    public mutating func post(_ pattern: String, _ handler: @escaping Handler) { on("POST", pattern, handler) }
    public mutating func patch(_ pattern: String, _ handler: @escaping Handler) { on("PATCH", pattern, handler) }

    /// Every registered (method, pattern), for documentation checks.
    public var registeredRoutes: [(method: String, pattern: String)] { routes.map { ($0.method, $0.pattern) } }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        var context = Context(request: request)
        let chain: HTTPNext<Context>
        switch table.match(method: request.method, path: request.path) {
        case .found(let index, let parameters):
            context.route = routes[index].pattern
            context.parameters = parameters
            chain = routes[index].chain
        case .methodNotAllowed(let allowed):
            context.route = "unmatched"
            let methods = Array(Set(allowed + (allowed.contains("GET") ? ["HEAD"] : []))).sorted().joined(separator: ", ")
            chain = self.chain(ending: { _, _ in
                throw HTTPError(405, code: "method_not_allowed", "use \(methods)", headers: HTTPHeaders([("Allow", methods)]))
            })
        case .notFound:
            context.route = "unmatched"
            chain = self.chain(ending: { _, _ in throw HTTPError(404, code: "not_found", "no route for this path") })
        }
        do {
            return try await chain(request, context)
        } catch let error as HTTPError {
            return error.response
        } catch {
            return errorMapper(error, context)
        }
    }

    private mutating func rebuildChains() {
        for index in routes.indices { routes[index].chain = chain(ending: routes[index].handler) }
    }

    /// The middleware, outermost first, around `handler`. The handler's errors and each
    /// middleware's become responses where they are thrown, so every middleware outside sees a
    /// response, never an error: a store failure in the auth step (503) is counted and logged
    /// like any other answer.
    /// The catch is inside each layer's own closure rather than a wrapper around it: a closure
    /// per layer, as before, since each is an async call on every request.
    private func chain(ending handler: @escaping Handler) -> HTTPNext<Context> {
        let mapper = errorMapper
        let answer: @Sendable (any Error, Context) -> HTTPResponse = { error, context in
            (error as? HTTPError)?.response ?? mapper(error, context)
        }
        let guarded: HTTPNext<Context> = { request, context in
            do { return try await handler(request, context) } catch { return answer(error, context) }
        }
        return middlewares.reversed().reduce(guarded) { next, middleware -> HTTPNext<Context> in
            { request, context in
                do { return try await middleware.handle(request, context: context, next: next) } catch { return answer(error, context) }
            }
        }
    }
}
