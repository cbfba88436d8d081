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
    if let body = try? JSONObjectReader(value, allowed: ["consumer_id", "quantity", "leader_code", "pickup_point", "deposit_payment_ref",
                                                         "team_code"]),
       let request = try? PledgeRequest(consumerID: body.string("consumer_id"), quantity: body.int("quantity"),
                                        leaderCode: body.optionalString("leader_code"), pickupPoint: body.optionalString("pickup_point"),
                                        depositPaymentRef: body.optionalString("deposit_payment_ref"),
                                        team: (try? body.optionalString("team_code"))?.map { .join(code: $0) }, idempotencyKey: "fuzz") {
        precondition(request.quantity > 0, "accepted a non-positive quantity")
        _ = request.fingerprint
    }
    // The subscription body too: whatever it accepts must be a schedule that can run.
    let now = Timestamp(seconds: 1_800_000_000)
    if let body = try? JSONObjectReader(value, allowed: ["consumer_id", "sku", "quantity", "cadence_weeks", "start", "periods",
                                                         "unit_price_minor", "deposit_minor"]),
       let request = try? SubscriptionRequest(
           consumerID: body.string("consumer_id"), sku: body.string("sku"), quantity: body.int("quantity"),
           cadenceWeeks: body.optionalInt("cadence_weeks") ?? 1, start: body.optionalTimestamp("start"), periods: body.optionalInt("periods"),
           unitPrice: Money(minor: body.int("unit_price_minor"), currency: .cny),
           deposit: Money(minor: body.optionalInt("deposit_minor") ?? 0, currency: .cny), at: now) {
        precondition(Week.isStart(request.firstWeek) && request.firstWeek > now, "a subscription must start on an open week")
        precondition(request.quantity > 0 && (1...8).contains(request.cadenceWeeks), "accepted an impossible schedule")
        let subscription = Subscription(id: 1, request: request, at: now)
        let weeks = subscription.deliveryWeeks(from: request.firstWeek, until: request.firstWeek.adding(seconds: 60 * Week.seconds))
        precondition(weeks.count <= Int(request.periods ?? 60), "delivered more periods than subscribed")
    }
    return 0
}
