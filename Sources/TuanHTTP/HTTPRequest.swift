/// One parsed request. The body is complete: the server reads it fully (within the limit)
/// before calling handlers.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The request target as sent: path plus optional `?query`.
    public var target: String
    public var path: String
    public var query: [String: String]
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Peer address, "ip:port".
    public var remoteAddress: String

    public init(method: String, target: String, version: HTTPVersion = .http11, headers: HTTPHeaders = HTTPHeaders(),
                body: [UInt8] = [], remoteAddress: String = "") {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        if let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            let rawPath = String(target[..<mark])
            self.path = URLDecoding.percentDecode(rawPath) ?? rawPath
            self.query = URLDecoding.form(String(target[target.index(after: mark)...]))
        } else {
            self.path = URLDecoding.percentDecode(target) ?? target
            self.query = [:]
        }
    }

    /// HTTP/1.1 keeps the connection unless told to close; 1.0 closes unless told to keep it.
    public var wantsKeepAlive: Bool {
        guard headers.contains("Connection") else { return version == .http11 }
        let tokens = headers.all("Connection").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: " \t").lowercased() }
        if tokens.contains("close") { return false }
        return version == .http11 || tokens.contains("keep-alive")
    }
}

public enum HTTPVersion: String, Sendable {
    case http10 = "HTTP/1.0"
    case http11 = "HTTP/1.1"
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var s = self[...]
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
