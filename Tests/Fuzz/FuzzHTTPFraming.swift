// libFuzzer harness, built by Scripts/fuzz together with Sources/TuanHTTP (not a SwiftPM target).
// Framing against a strict reading of RFC 9112 §6.3, written here independently of the parser:
// a message whose Content-Length is anything but one valid length (or a list of the same valid
// length, over one or more fields) must be refused with 400; a message the parser accepts must
// be framed exactly as the reference frames it (same length consumed, same body). Request
// smuggling behind a proxy starts where two readers frame the same bytes differently.

/// The reference: nil when the head is not complete; otherwise the body length the message
/// declares, or `.invalid` when its Content-Length fields do not name exactly one length.
enum ReferenceFraming: Equatable {
    case length(head: Int, body: Int)
    case invalid

    static func frame(_ b: [UInt8]) -> ReferenceFraming? {
        var end: Int?
        if b.count >= 4 {
            for i in 0...(b.count - 4) where b[i] == 13 && b[i + 1] == 10 && b[i + 2] == 13 && b[i + 3] == 10 { end = i; break }
        }
        guard let end else { return nil }
        var lines: [[UInt8]] = [[]]
        var i = 0
        while i < end {
            if b[i] == 13, i + 1 < end, b[i + 1] == 10 { lines.append([]); i += 2; continue }
            lines[lines.count - 1].append(b[i]); i += 1
        }
        var values: [[UInt8]] = []
        var transferEncoding = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: 58) else { continue }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            if name == "transfer-encoding" { transferEncoding = true }
            guard name == "content-length" else { continue }
            // The field value, then each list element, without optional white space.
            var element: [UInt8] = []
            for byte in line[(colon + 1)...] + [44] {
                if byte == 44 { values.append(element.trimmedOWS); element = [] } else { element.append(byte) }
            }
        }
        if transferEncoding { return .invalid }
        guard let first = values.first else { return .length(head: end + 4, body: 0) }
        guard values.allSatisfy({ $0 == first }), !first.isEmpty, first.count <= 18, first.allSatisfy({ (48...57).contains($0) }) else {
            return .invalid
        }
        return .length(head: end + 4, body: Int(String(decoding: first, as: UTF8.self))!)
    }
}

extension Array where Element == UInt8 {
    var trimmedOWS: [UInt8] {
        var s = self[...]
        while let f = s.first, f == 32 || f == 9 { s = s.dropFirst() }
        while let l = s.last, l == 32 || l == 9 { s = s.dropLast() }
        return Array(s)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPFraming(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var limits = HTTPLimits()
    limits.maxBodyBytes = 4_096
    var offset = 0
    while offset < bytes.count {
        let rest = Array(bytes[offset...])
        let reference = ReferenceFraming.frame(rest)
        switch HTTPRequestParser.parse(bytes[offset...], limits: limits) {
        case .request(let request, let consumed):
            guard case .length(let head, let body) = reference else {
                preconditionFailure("accepted a message whose framing the reference refuses: \(String(describing: reference))")
            }
            precondition(consumed == head + body, "consumed \(consumed), the reference frames \(head) + \(body)")
            precondition(request.body == Array(rest[head..<(head + body)]), "body differs from the reference's")
            offset += consumed
        case .incomplete:
            if case .invalid = reference { preconditionFailure("waited for more of a message whose framing is invalid") }
            return 0
        case .failure(let error):
            // Refused and closed: for invalid framing, 400 (411 for Transfer-Encoding), unless the
            // message was refused earlier for something else (its version, its head's size).
            precondition((400...599).contains(error.status), "failure status \(error.status)")
            return 0
        }
    }
    return 0
}
