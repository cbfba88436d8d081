// libFuzzer harness, built by Scripts/fuzz together with Sources/TuanHTTP (not a SwiftPM target).
// Feeds arbitrary bytes to the request parser, whole and split at every step a client could
// split them, and checks the invariants the connection code relies on.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var limits = HTTPLimits()
    limits.maxBodyBytes = 4_096
    var offset = 0
    // Parse pipelined requests one after another, as a keep-alive connection would.
    while offset < bytes.count {
        switch HTTPRequestParser.parse(bytes[offset...], limits: limits) {
        case .request(let request, let consumed):
            precondition(consumed > 0 && consumed <= bytes.count - offset, "consumed out of range")
            precondition(request.body.count <= limits.maxBodyBytes, "body over the limit")
            precondition(!request.method.isEmpty, "empty method accepted")
            offset += consumed
        case .incomplete:
            return 0
        case .failure(let error):
            precondition((400...599).contains(error.status), "failure status \(error.status)")
            return 0
        }
    }
    return 0
}
