/// Writes a response's status line and header block into a byte buffer. A local buffer
/// passed `inout`, not the connection's stored one: every append to a class's stored array
/// pays an exclusivity check, and a response head is some twenty appends.
enum ResponseHead {
    static func write(_ response: HTTPResponse, date: String, keepAlive: Bool, to out: inout [UInt8]) {
        append("HTTP/1.1 ", to: &out)
        appendDecimal(response.status, to: &out)
        out.append(UInt8(ascii: " "))
        append(HTTPStatus.reason(response.status), to: &out)
        append("\r\n", to: &out)
        for (name, value) in response.headers where !isManaged(name) {
            append(name, to: &out)
            append(": ", to: &out)
            append(value, to: &out)
            append("\r\n", to: &out)
        }
        append("Date: ", to: &out)
        append(date, to: &out)
        append("\r\nContent-Length: ", to: &out)
        appendDecimal(response.body.count, to: &out)
        append(keepAlive ? "\r\nConnection: keep-alive\r\n\r\n" : "\r\nConnection: close\r\n\r\n", to: &out)
    }

    /// Headers the connection writes itself, so a handler cannot contradict the framing.
    static func isManaged(_ name: String) -> Bool {
        name.caseInsensitiveEquals("Content-Length") || name.caseInsensitiveEquals("Connection")
            || name.caseInsensitiveEquals("Date") || name.caseInsensitiveEquals("Transfer-Encoding")
    }

    private static func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    private static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        guard value > 0 else { out.append(UInt8(ascii: "0")); return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for any Int
        withUnsafeMutableBytes(of: &digits) { buffer in
            var v = value, start = buffer.count
            while v > 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }
}
