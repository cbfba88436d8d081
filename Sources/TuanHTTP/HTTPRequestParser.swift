#if canImport(Glibc)
import Glibc
#endif

/// Parses one HTTP/1.1 request from the front of a byte buffer. It is stateless: the
/// connection calls it again when more bytes arrive, so a slow client costs a rescan
/// (bounded by the header limit) rather than parser state to get wrong.
public enum HTTPRequestParser {
    public enum Result: Sendable {
        /// More bytes are needed. `expectsContinue` is true when the headers asked for
        /// `100 Continue` and the body has not arrived yet.
        case incomplete(expectsContinue: Bool)
        case request(HTTPRequest, consumed: Int)
        case failure(HTTPParseError)
    }

    public static func parse(_ buffer: ArraySlice<UInt8>, limits: HTTPLimits, remoteAddress: String = "") -> Result {
        buffer.withUnsafeBufferPointer { parse(bytes: $0, limits: limits, remoteAddress: remoteAddress) }
    }

    /// One pass over the bytes with no intermediate arrays: this runs for every request, and
    /// the version built on slices and `split` was a tenth of the event loops' time.
    /// `ReferenceHTTPParser` in the tests is that version, kept as the oracle.
    private static func parse(bytes b: UnsafeBufferPointer<UInt8>, limits: HTTPLimits, remoteAddress: String) -> Result {
        guard let headEnd = findHeadEnd(b, limit: limits.maxHeaderBytes) else { return incompleteHead(b, limits: limits) }
        let lineEnd = findCRLF(b, from: 0, to: headEnd) ?? headEnd
        guard lineEnd <= limits.maxRequestLineBytes else { return .failure(.init(414, "request line too long")) }
        let line: RequestLine
        switch parseRequestLine(b, lineEnd: lineEnd) {
        case .success(let parsed): line = parsed
        case .failure(let error): return .failure(error)
        }
        let headers: HTTPHeaders
        switch parseHeaders(b, from: lineEnd + 2, headEnd: headEnd, limits: limits) {
        case .success(let parsed): headers = parsed
        case .failure(let error): return .failure(error)
        }
        if line.version == .http11, headers.count(of: "Host") != 1 {
            return .failure(.init(400, "exactly one Host header is required"))
        }
        let contentLength: Int
        switch bodyLength(headers, limits: limits) {
        case .success(let length): contentLength = length
        case .failure(let error): return .failure(error)
        }
        let bodyStart = headEnd + 4
        guard b.count - bodyStart >= contentLength else {
            let expects = headers["Expect"]?.lowercased() == "100-continue"
            return .incomplete(expectsContinue: expects)
        }
        let body = Array(UnsafeBufferPointer(rebasing: b[bodyStart..<(bodyStart + contentLength)]))
        let request = HTTPRequest(method: line.method, target: line.target, version: line.version, headers: headers,
                                  body: body, remoteAddress: remoteAddress)
        return .request(request, consumed: bodyStart + contentLength)
    }

    /// No end of the head yet: too long already, or wait for more bytes.
    private static func incompleteHead(_ b: UnsafeBufferPointer<UInt8>, limits: HTTPLimits) -> Result {
        if let lineEnd = findCRLF(b, from: 0, to: min(b.count, limits.maxRequestLineBytes + 2)) {
            if lineEnd > limits.maxRequestLineBytes { return .failure(.init(414, "request line too long")) }
        } else if b.count > limits.maxRequestLineBytes {
            return .failure(.init(414, "request line too long"))
        }
        if b.count > limits.maxHeaderBytes { return .failure(.init(431, "request headers too large")) }
        return .incomplete(expectsContinue: false)
    }

    private struct RequestLine {
        var method: String
        var target: String
        var version: HTTPVersion
    }

    /// request-line = method SP request-target SP HTTP-version (exactly two spaces).
    private static func parseRequestLine(_ b: UnsafeBufferPointer<UInt8>, lineEnd: Int) -> Swift.Result<RequestLine, HTTPParseError> {
        guard let sp1 = firstIndex(of: 0x20, in: b, from: 0, to: lineEnd),
              let sp2 = firstIndex(of: 0x20, in: b, from: sp1 + 1, to: lineEnd),
              firstIndex(of: 0x20, in: b, from: sp2 + 1, to: lineEnd) == nil else {
            return .failure(.init(400, "malformed request line"))
        }
        guard sp1 > 0, allSatisfy(b, 0, sp1, isTokenByte) else { return .failure(.init(400, "invalid method")) }
        let targetLength = sp2 - sp1 - 1
        guard targetLength > 0, b[sp1 + 1] == UInt8(ascii: "/") || (targetLength == 1 && b[sp1 + 1] == UInt8(ascii: "*")),
              allSatisfy(b, sp1 + 1, sp2, { $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(.init(400, "invalid request target"))
        }
        let version: HTTPVersion
        if matches(b, sp2 + 1, lineEnd, "HTTP/1.1") {
            version = .http11
        } else if matches(b, sp2 + 1, lineEnd, "HTTP/1.0") {
            version = .http10
        } else {
            let v = string(b, sp2 + 1, lineEnd)
            if v.hasPrefix("HTTP/") && v.count == 8 { return .failure(.init(505, "only HTTP/1.0 and HTTP/1.1 are supported")) }
            return .failure(.init(400, "invalid HTTP version"))
        }
        return .success(RequestLine(method: string(b, 0, sp1), target: string(b, sp1 + 1, sp2), version: version))
    }

    /// The header fields from `from` up to the blank line at `headEnd`.
    private static func parseHeaders(_ b: UnsafeBufferPointer<UInt8>, from: Int, headEnd: Int,
                                     limits: HTTPLimits) -> Swift.Result<HTTPHeaders, HTTPParseError> {
        var headers = HTTPHeaders(capacity: 12)
        var lineStart = from
        while lineStart <= headEnd {
            let end = findCRLF(b, from: lineStart, to: headEnd) ?? headEnd
            defer { lineStart = end + 2 }
            guard headers.count < limits.maxHeaderCount else { return .failure(.init(431, "too many header fields")) }
            guard let colon = firstIndex(of: UInt8(ascii: ":"), in: b, from: lineStart, to: end) else {
                return .failure(.init(400, "malformed header line"))
            }
            // Obsolete line folding and whitespace before the colon are both request smuggling vectors.
            guard colon > lineStart, allSatisfy(b, lineStart, colon, isTokenByte) else {
                return .failure(.init(400, "invalid header name"))
            }
            var valueStart = colon + 1, valueEnd = end
            while valueStart < valueEnd, b[valueStart] == 0x20 || b[valueStart] == 0x09 { valueStart += 1 }
            while valueEnd > valueStart, b[valueEnd - 1] == 0x20 || b[valueEnd - 1] == 0x09 { valueEnd -= 1 }
            guard allSatisfy(b, valueStart, valueEnd, { ($0 >= 0x20 || $0 == 0x09) && $0 != 0x7F }) else {
                return .failure(.init(400, "invalid character in header value"))
            }
            headers.add(string(b, lineStart, colon), string(b, valueStart, valueEnd))
        }
        return .success(headers)
    }

    /// The body's length from the framing headers.
    /// Content-Length may be a list ("3, 3") or repeated, but every element must be the same
    /// valid length (RFC 9112 §6.3): an empty field or element (",4", "4,,4", "") is refused,
    /// not skipped, since a proxy may frame it differently. The usual single plain number
    /// skips the list handling.
    private static func bodyLength(_ headers: HTTPHeaders, limits: HTTPLimits) -> Swift.Result<Int, HTTPParseError> {
        if headers.contains("Transfer-Encoding") {
            if headers.contains("Content-Length") { return .failure(.init(400, "both Transfer-Encoding and Content-Length")) }
            return .failure(.init(411, "chunked request bodies are not supported; send Content-Length"))
        }
        let lengthFields = headers.all("Content-Length")
        let lengths = lengthFields.count == 1 && Self.isDecimal(lengthFields[0])
            ? lengthFields
            : lengthFields.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map { $0.trimmingCharacters(in: " \t") }
        guard let firstLength = lengths.first else { return .success(0) }
        guard lengths.allSatisfy({ $0 == firstLength }), Self.isDecimal(firstLength), firstLength.utf8.count <= 18,
              let n = Int(firstLength) else {
            return .failure(.init(400, "invalid Content-Length"))
        }
        guard n <= limits.maxBodyBytes else { return .failure(.init(413, "body larger than \(limits.maxBodyBytes) bytes")) }
        return .success(n)
    }

    /// The offset of the first CR LF CR LF, searched within `limit + 4` bytes.
    private static func findHeadEnd(_ b: UnsafeBufferPointer<UInt8>, limit: Int) -> Int? {
        let end = min(b.count, limit + 4)
        var i = 0
        while let cr = firstIndex(of: 13, in: b, from: i, to: end - 3) {
            if b[cr + 1] == 10, b[cr + 2] == 13, b[cr + 3] == 10 { return cr }
            i = cr + 1
        }
        return nil
    }

    /// The offset of the first CR LF starting in `from..<to - 1`.
    private static func findCRLF(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        var i = from
        while let cr = firstIndex(of: 13, in: b, from: i, to: to - 1) {
            if b[cr + 1] == 10 { return cr }
            i = cr + 1
        }
        return nil
    }

    /// `memchr`, which scans many bytes per step.
    private static func firstIndex(of byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let base = b.baseAddress, let found = memchr(base + from, Int32(byte), to - from) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    private static func allSatisfy(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ test: (UInt8) -> Bool) -> Bool {
        var i = from
        while i < to {
            if !test(b[i]) { return false }
            i += 1
        }
        return true
    }

    private static func matches(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ text: StaticString) -> Bool {
        guard to - from == text.utf8CodeUnitCount else { return false }
        return memcmp(b.baseAddress! + from, text.utf8Start, to - from) == 0
    }

    private static func string(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[from..<to]), as: UTF8.self)
    }

    /// One or more ASCII digits.
    private static func isDecimal(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// tchar from RFC 9110 §5.6.2, looked up in a table: every byte of every header name
    /// is tested, and searching the punctuation list for each '-' was measurable.
    static func isTokenByte(_ b: UInt8) -> Bool { tokenBytes[Int(b)] }

    private static let tokenBytes: [Bool] = (0...255).map { (b: Int) -> Bool in
        switch b {
        case 0x61...0x7A, 0x41...0x5A, 0x30...0x39: return true
        default: return "!#$%&'*+-.^_`|~".utf8.contains(UInt8(b))
        }
    }
}

public struct HTTPParseError: Error, Sendable, Equatable {
    public var status: Int
    public var message: String
    init(_ status: Int, _ message: String) { self.status = status; self.message = message }
}
