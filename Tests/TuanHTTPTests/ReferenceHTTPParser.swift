@testable import TuanHTTP

/// The first, straightforward version of `HTTPRequestParser`, kept as the oracle for a
/// differential test of the faster one: both must answer every input the same way.
enum ReferenceHTTPParser {
    enum Result: Sendable {
        /// More bytes are needed. `expectsContinue` is true when the headers asked for
        /// `100 Continue` and the body has not arrived yet.
        case incomplete(expectsContinue: Bool)
        case request(HTTPRequest, consumed: Int)
        case failure(HTTPParseError)
    }

    static func parse(_ buffer: ArraySlice<UInt8>, limits: HTTPLimits, remoteAddress: String = "") -> Result {
        let start = buffer.startIndex
        // Find the end of the head: CRLF CRLF.
        guard let headEnd = findHeadEnd(buffer, limit: limits.maxHeaderBytes) else {
            if let lineEnd = find(crlf, in: buffer, from: start, limit: limits.maxRequestLineBytes + 2) {
                if lineEnd - start > limits.maxRequestLineBytes { return .failure(.init(414, "request line too long")) }
            } else if buffer.count > limits.maxRequestLineBytes {
                return .failure(.init(414, "request line too long"))
            }
            if buffer.count > limits.maxHeaderBytes { return .failure(.init(431, "request headers too large")) }
            return .incomplete(expectsContinue: false)
        }
        let head = buffer[start..<headEnd]
        var lines = splitLines(head)
        guard !lines.isEmpty else { return .failure(.init(400, "empty request")) }
        let requestLine = lines.removeFirst()
        guard requestLine.count <= limits.maxRequestLineBytes else { return .failure(.init(414, "request line too long")) }

        // request-line = method SP request-target SP HTTP-version
        let parts = requestLine.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(.init(400, "malformed request line")) }
        guard !parts[0].isEmpty, parts[0].allSatisfy(HTTPRequestParser.isTokenByte) else { return .failure(.init(400, "invalid method")) }
        let method = String(decoding: parts[0], as: UTF8.self)
        let targetBytes = parts[1]
        guard let first = targetBytes.first, first == UInt8(ascii: "/") || (targetBytes.count == 1 && first == UInt8(ascii: "*")),
              targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(.init(400, "invalid request target"))
        }
        let target = String(decoding: targetBytes, as: UTF8.self)
        let version: HTTPVersion
        switch String(decoding: parts[2], as: UTF8.self) {
        case "HTTP/1.1": version = .http11
        case "HTTP/1.0": version = .http10
        case let v where v.hasPrefix("HTTP/") && v.count == 8: return .failure(.init(505, "only HTTP/1.0 and HTTP/1.1 are supported"))
        default: return .failure(.init(400, "invalid HTTP version"))
        }

        var headers = HTTPHeaders()
        for line in lines {
            guard headers.count < limits.maxHeaderCount else { return .failure(.init(431, "too many header fields")) }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return .failure(.init(400, "malformed header line")) }
            let name = line[line.startIndex..<colon]
            // Obsolete line folding and whitespace before the colon are both request smuggling vectors.
            guard !name.isEmpty, name.allSatisfy(HTTPRequestParser.isTokenByte) else { return .failure(.init(400, "invalid header name")) }
            var value = line[(colon + 1)...]
            while let f = value.first, f == 0x20 || f == 0x09 { value = value.dropFirst() }
            while let l = value.last, l == 0x20 || l == 0x09 { value = value.dropLast() }
            guard value.allSatisfy({ $0 >= 0x20 || $0 == 0x09 }), !value.contains(0x7F) else {
                return .failure(.init(400, "invalid character in header value"))
            }
            headers.add(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
        }

        if version == .http11, headers.all("Host").count != 1 { return .failure(.init(400, "exactly one Host header is required")) }
        if headers.contains("Transfer-Encoding") {
            if headers.contains("Content-Length") { return .failure(.init(400, "both Transfer-Encoding and Content-Length")) }
            return .failure(.init(411, "chunked request bodies are not supported; send Content-Length"))
        }
        var contentLength = 0
        let lengths = headers.all("Content-Length").flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .map { $0.trimmingCharacters(in: " \t") }
        if let firstLength = lengths.first {
            guard lengths.allSatisfy({ $0 == firstLength }), !firstLength.isEmpty, firstLength.utf8.count <= 18,
                  firstLength.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = Int(firstLength) else {
                return .failure(.init(400, "invalid Content-Length"))
            }
            guard n <= limits.maxBodyBytes else { return .failure(.init(413, "body larger than \(limits.maxBodyBytes) bytes")) }
            contentLength = n
        }
        let bodyStart = headEnd + 4
        let available = buffer.endIndex - bodyStart
        guard available >= contentLength else {
            let expects = headers["Expect"]?.lowercased() == "100-continue"
            return .incomplete(expectsContinue: expects)
        }
        let body = Array(buffer[bodyStart..<(bodyStart + contentLength)])
        let request = HTTPRequest(method: method, target: target, version: version, headers: headers, body: body,
                                  remoteAddress: remoteAddress)
        return .request(request, consumed: bodyStart + contentLength - start)
    }

    private static let crlf: [UInt8] = [13, 10]

    private static func findHeadEnd(_ buffer: ArraySlice<UInt8>, limit: Int) -> Int? {
        var i = buffer.startIndex
        let end = min(buffer.endIndex, buffer.startIndex + limit + 4)
        while i + 3 < end {
            if buffer[i + 3] != 10 { i += 1; continue }  // fast skip: the 4th byte must be LF
            if buffer[i] == 13, buffer[i + 1] == 10, buffer[i + 2] == 13 { return i }
            i += 1
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in buffer: ArraySlice<UInt8>, from: Int, limit: Int) -> Int? {
        var i = from
        let end = min(buffer.endIndex, from + limit)
        while i + needle.count <= end {
            if buffer[i] == needle[0], buffer[i + 1] == needle[1] { return i }
            i += 1
        }
        return nil
    }

    private static func splitLines(_ head: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = head.startIndex
        var i = head.startIndex
        while i < head.endIndex {
            if head[i] == 13, i + 1 < head.endIndex, head[i + 1] == 10 {
                lines.append(head[lineStart..<i])
                i += 2
                lineStart = i
            } else {
                i += 1
            }
        }
        lines.append(head[lineStart..<head.endIndex])
        return lines
    }
}
