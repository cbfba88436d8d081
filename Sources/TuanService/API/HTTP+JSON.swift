import Foundation
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
        if let type = headers["Content-Type"], Self.mediaType(type) != "application/json" {
            throw HTTPError(415, code: "unsupported_media_type", "send application/json")
        }
        guard !body.isEmpty else { throw HTTPError(400, code: "malformed_json", "a JSON body is required") }
        let value = try JSONParser.parse(body)
        return try JSONObjectReader(value, allowed: allowed)
    }

    /// The media type of a Content-Type value, lower-cased, without parameters: "application/json"
    /// from "Application/JSON; charset=utf-8". Compared whole, so "application/jsonx" is not JSON.
    static func mediaType(_ contentType: String) -> String {
        String(contentType.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces).lowercased()
    }
}
