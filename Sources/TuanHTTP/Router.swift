/// Routes by method and path pattern (`/v1/campaigns/{id}/pledges`), runs the middleware
/// chain, and renders thrown `HTTPError`s. Built once before the server starts.
public struct Router<Context: RequestContext>: HTTPResponder {
    public typealias Handler = @Sendable (HTTPRequest, Context) async throws -> HTTPResponse

    private struct Route: Sendable {
        var method: String
        var pattern: String
        var segments: [Segment]
        var handler: Handler
    }

    private enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    private var routes: [Route] = []
    private var middlewares: [any Middleware<Context>] = []
    /// Called for errors that are not `HTTPError` (e.g. domain errors) to pick a response.
    private var errorMapper: @Sendable (any Error, Context) -> HTTPResponse = { _, _ in
        .error(500, code: "internal_error", message: "internal error")
    }

    public init() {}

    public mutating func add(_ middleware: some Middleware<Context>) { middlewares.append(middleware) }

    public mutating func mapErrors(_ mapper: @escaping @Sendable (any Error, Context) -> HTTPResponse) { errorMapper = mapper }

    public mutating func on(_ method: String, _ pattern: String, _ handler: @escaping Handler) {
        let segments = pattern.split(separator: "/").map { part -> Segment in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
        routes.append(Route(method: method, pattern: pattern, segments: segments, handler: handler))
    }

    public mutating func get(_ pattern: String, _ handler: @escaping Handler) { on("GET", pattern, handler) }
    public mutating func post(_ pattern: String, _ handler: @escaping Handler) { on("POST", pattern, handler) }

    /// Every registered (method, pattern), for documentation checks.
    public var registeredRoutes: [(method: String, pattern: String)] { routes.map { ($0.method, $0.pattern) } }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        var context = Context(request: request)
        let pathSegments = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let method = request.method == "HEAD" ? "GET" : request.method
        var handler: Handler = { _, _ in throw HTTPError(404, code: "not_found", "no route for this path") }
        context.route = "unmatched"
        var allowed: [String] = []
        for route in routes {
            guard let parameters = match(route.segments, pathSegments) else { continue }
            if route.method == method {
                context.route = route.pattern
                context.parameters = parameters
                handler = route.handler
                allowed = []
                break
            }
            allowed.append(route.method)
        }
        if !allowed.isEmpty {
            let methods = Array(Set(allowed + (allowed.contains("GET") ? ["HEAD"] : []))).sorted().joined(separator: ", ")
            handler = { _, _ in
                throw HTTPError(405, code: "method_not_allowed", "use \(methods)", headers: HTTPHeaders([("Allow", methods)]))
            }
        }
        let mapper = errorMapper
        let selected = handler
        let guarded: HTTPNext<Context> = { request, context in
            do { return try await selected(request, context) }
            catch let error as HTTPError { return error.response }
            catch { return mapper(error, context) }
        }
        let chain = middlewares.reversed().reduce(guarded) { next, middleware -> HTTPNext<Context> in
            { request, context in try await middleware.handle(request, context: context, next: next) }
        }
        do {
            return try await chain(request, context)
        } catch let error as HTTPError {
            return error.response
        } catch {
            return mapper(error, context)
        }
    }

    private func match(_ segments: [Segment], _ path: [String]) -> [String: String]? {
        guard segments.count == path.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, path) {
            switch segment {
            case .literal(let literal): if literal != part { return nil }
            case .parameter(let name): parameters[name] = part
            }
        }
        return parameters
    }
}
