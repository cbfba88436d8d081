import TuanDomain
import TuanHTTP

extension HTTPResponse {
    static func json(_ status: Int, _ value: JSONValue, headers: [(String, String)] = []) -> HTTPResponse {
        json(status, bytes: value.bytes, headers: headers)
    }

    /// A JSON body already written (`JSONObjectWriter`).
    static func json(_ status: Int, bytes: [UInt8], headers: [(String, String)] = []) -> HTTPResponse {
        var fields: [(String, String)] = []
        fields.reserveCapacity(2 + headers.count)
        fields.append(("Content-Type", "application/json"))
        fields += headers
        fields.append(("Cache-Control", "no-store"))
        return HTTPResponse(status: status, headers: HTTPHeaders(fields), body: bytes)
    }
}

extension HTTPRequest {
    /// The body as a JSON value: 415 for a non-JSON content type, 400 for malformed JSON
    /// (including invalid UTF-8), 422 for a body that is not an object.
    func jsonObject(allowed: [String]) throws -> JSONObjectReader {
        if let type = headers["Content-Type"], !Self.hasMediaType(type, "application/json") {
            throw HTTPError(415, code: "unsupported_media_type", "send application/json")
        }
        guard !body.isEmpty else { throw HTTPError(400, code: "malformed_json", "a JSON body is required") }
        let value = try JSONParser.parse(body)
        return try JSONObjectReader(value, allowed: allowed)
    }

    /// Whether a Content-Type value names `mediaType` (lower-case ASCII), in any case, with or
    /// without parameters: "Application/JSON; charset=utf-8" is application/json, and
    /// "application/jsonx" is not. Compared as bytes: every JSON request goes through here.
    static func hasMediaType(_ contentType: String, _ mediaType: StaticString) -> Bool {
        var value = contentType
        return value.withUTF8 { bytes in
            var start = 0, end = bytes.count
            if let semicolon = bytes.firstIndex(of: UInt8(ascii: ";")) { end = semicolon }
            while start < end, bytes[start] == 32 || bytes[start] == 9 { start += 1 }
            while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 9 { end -= 1 }
            guard end - start == mediaType.utf8CodeUnitCount else { return false }
            let expected = UnsafeBufferPointer(start: mediaType.utf8Start, count: mediaType.utf8CodeUnitCount)
            for i in 0..<expected.count {
                let b = bytes[start + i]
                if (b >= 65 && b <= 90 ? b | 0x20 : b) != expected[i] { return false }
            }
            return true
        }
    }
}
