import Synchronization

/// The next step in the chain: the remaining middleware and finally the route handler.
public typealias HTTPNext<Context: RequestContext> = @Sendable (HTTPRequest, Context) async throws -> HTTPResponse

/// Wraps request handling: may change the request or context, short-circuit, or change the response.
public protocol Middleware<Context>: Sendable {
    associatedtype Context: RequestContext
    func handle(_ request: HTTPRequest, context: Context, next: HTTPNext<Context>) async throws -> HTTPResponse
}

/// Gives each request an id (the client's `X-Request-Id` if sane) and echoes it back.
public struct RequestIDMiddleware<Context: RequestContext>: Middleware {
    public init() {}

    public func handle(_ request: HTTPRequest, context: Context, next: HTTPNext<Context>) async throws -> HTTPResponse {
        var context = context
        if let given = request.headers["X-Request-Id"], given.utf8.count <= 128, given.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) {
            context.requestID = given
        } else {
            context.requestID = RequestIDMiddleware.generate()
        }
        var response = try await next(request, context)
        response.headers.set("X-Request-Id", context.requestID)
        return response
    }

    /// A random 32-bit prefix per process and a 32-bit counter, as 16 lowercase hex digits:
    /// unique across restarts in practice, and no `getrandom` system call per request.
    static func generate() -> String {
        var value = RequestIDSource.prefix | UInt64(RequestIDSource.counter.add(1, ordering: .relaxed).newValue)
        return String(unsafeUninitializedCapacity: 16) { buffer in
            for i in stride(from: 15, through: 0, by: -1) {
                let nibble = UInt8(value & 0xF)
                buffer[i] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                value >>= 4
            }
            return 16
        }
    }
}

/// Where `RequestIDMiddleware` ids come from (kept outside the generic type, which cannot
/// have stored statics).
private enum RequestIDSource {
    static let prefix = UInt64(UInt32.random(in: .min ... .max)) << 32
    static let counter = Atomic<UInt32>(0)
}

/// One line per request to the given sink: method, target, status, duration, request id.
public struct AccessLogMiddleware<Context: RequestContext>: Middleware {
    let log: @Sendable (String) -> Void

    public init(log: @escaping @Sendable (String) -> Void) { self.log = log }

    public func handle(_ request: HTTPRequest, context: Context, next: HTTPNext<Context>) async throws -> HTTPResponse {
        let start = ContinuousClock.now
        let response: HTTPResponse
        do {
            response = try await next(request, context)
        } catch {
            // Under `Router` every error is answered inside the layer that threw it; this catch is
            // for any other use: whatever is thrown is still logged, with the status it gets.
            response = HTTPResponse.answering(error)
        }
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        let path = request.path.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : String($0) }.joined()
        log("\(request.remoteAddress) \(request.method) \(path) \(response.status) \(String(format3(ms)))ms id=\(context.requestID)")
        return response
    }

    private func format3(_ v: Double) -> String {
        let scaled = Int((v * 1000).rounded())
        return "\(scaled / 1000).\(String(repeating: "0", count: 3 - String(scaled % 1000).count))\(scaled % 1000)"
    }
}
