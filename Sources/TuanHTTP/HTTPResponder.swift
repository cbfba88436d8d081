/// Whatever turns a request into a response: the router, or a test stub.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) async -> HTTPResponse
}
