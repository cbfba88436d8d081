// libFuzzer harness, built by Scripts/fuzz together with Sources/TuanDomain and the signing files
// of Sources/TuanDelivery (not a SwiftPM target). The input is split into the three headers and
// the body; verification must never crash, and must never accept a signature it did not make.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhookVerifier(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parts = bytes.split(separator: 0x0A, maxSplits: 3, omittingEmptySubsequences: false).map { Array($0) }
    guard parts.count == 4 else { return 0 }
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    let id = String(decoding: parts[0], as: UTF8.self)
    let timestamp = String(decoding: parts[1], as: UTF8.self)
    let signature = String(decoding: parts[2], as: UTF8.self)
    let body = parts[3]
    do {
        try StandardWebhooks.verify(id: id, timestamp: timestamp, signature: signature, body: body, secret: secret,
                                    now: Int64(timestamp) ?? 0)
        // Accepted: it must be exactly what we would have signed.
        let ours = try StandardWebhooks.sign(id: id, timestamp: Int64(timestamp)!, body: body, secret: secret)
        precondition(signature.split(separator: " ").contains(Substring(ours)), "accepted a signature we did not make")
    } catch {}
    return 0
}
