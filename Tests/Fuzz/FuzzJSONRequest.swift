// libFuzzer harness, built by Scripts/fuzz together with Sources/TuanDomain (not a SwiftPM target).
// Arbitrary bytes through the strict JSON parser and on into the pledge request decoding the API
// does; serialising a parsed document must be stable (a whole-valued double such as -2.5e3 is
// written as the integer -2500, so the check is on the text, not the enum case).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONParser.parse(bytes) else { return 0 }
    let text = value.serialized
    let again = try? JSONParser.parse(Array(text.utf8))
    precondition(again?.serialized == text, "serialise/parse round trip is not stable")
    guard let body = try? JSONObjectReader(value, allowed: ["consumer_id", "quantity", "leader_code", "pickup_point", "deposit_payment_ref"]) else {
        return 0
    }
    if let request = try? PledgeRequest(consumerID: body.string("consumer_id"), quantity: body.int("quantity"),
                                        leaderCode: body.optionalString("leader_code"), pickupPoint: body.optionalString("pickup_point"),
                                        depositPaymentRef: body.optionalString("deposit_payment_ref"), idempotencyKey: "fuzz") {
        precondition(request.quantity > 0, "accepted a non-positive quantity")
        _ = request.fingerprint
    }
    return 0
}
