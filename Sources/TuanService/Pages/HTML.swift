import TuanDomain
import TuanHTTP

/// Server-rendered HTML, built as strings. Every user-provided value passes through `escape`
/// (text and attribute values alike), so a product name or a consumer's name can never become
/// markup.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escaped text in a URL query value (percent-encoded, then HTML-escaped by the caller's use).
    static func queryValue(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// Product and user data (titles, names, codes): escaped, and marked so that translation
    /// tools, and the browser test's check for untranslated words, leave it alone.
    static func data(_ text: String) -> String { "<span translate=\"no\">\(escape(text))</span>" }

    static func number(_ value: Double, digits: Int = 0) -> String {
        guard value.isFinite else { return "–" }
        if digits == 0 { return String(Int64(value.rounded())) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        let whole = scaled / Int64(scale), fraction = String(scaled % Int64(scale)).leftPadded(to: digits)
        return (value < 0 ? "-" : "") + "\(whole).\(fraction)"
    }

    /// Whole percent; a small chance is "<1%", not "0%", and a near-certainty ">99%", not "100%".
    static func percent(_ value: Double) -> String {
        if value > 0, value < 0.005 { return "<1%" }
        if value < 1, value >= 0.995 { return ">99%" }
        return number(value * 100) + "%"
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

extension HTTPResponse {
    /// A page. No scripts at all, styles only from our own stylesheet, forms only to us, and
    /// never inside a frame: a strict policy costs nothing when the pages need no JavaScript.
    static func html(_ status: Int, _ body: String, headers: [(String, String)] = []) -> HTTPResponse {
        var response = HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "text/html; charset=utf-8")] + headers),
                                    body: Array(body.utf8))
        response.headers.add("Content-Security-Policy",
                             "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        response.headers.add("X-Content-Type-Options", "nosniff")
        response.headers.add("Referrer-Policy", "same-origin")
        response.headers.add("Cache-Control", "no-store")
        return response
    }

    static func redirect(_ location: String, headers: [(String, String)] = []) -> HTTPResponse {
        HTTPResponse(status: 303, headers: HTTPHeaders([("Location", location), ("Cache-Control", "no-store")] + headers))
    }
}
