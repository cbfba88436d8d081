/// The pledge's public shape: the API's answer and the resource its events carry.
extension Pledge {
    public var json: JSONValue {
        var fields = JSONFieldList()
        writeJSON(to: &fields)
        return fields.object
    }

    /// The same object as `json`, written straight to bytes (the answer to every pledge), with
    /// the team it opened or joined when there is one.
    public func jsonBytes(team: Team? = nil) -> [UInt8] {
        var writer = JSONObjectWriter()
        writeJSON(to: &writer)
        if let team { writer.field("team", team.json) }
        return writer.finish()
    }

    public func writeJSON<Sink: JSONObjectSink>(to sink: inout Sink) {
        sink.field("id", id)
        sink.field("campaign_id", campaignID)
        sink.field("consumer_id", consumerID)
        sink.field("quantity", quantity)
        sink.field("status", status.rawValue)
        sink.field("deposit_minor", deposit.minor)
        sink.field("currency", deposit.currency.code)
        sink.field("leader_code", leaderCode)
        sink.field("pickup_point", pickupPoint)
        sink.field("deposit_payment_ref", depositPaymentRef)
        sink.field("team_id", teamID)
        sink.field("commission_minor", commission?.minor)
        sink.field("created_at", createdAt)
        sink.field("updated_at", updatedAt)
        // Only for a pledge with lines: one of a campaign's one implicit item reads as before.
        if !lines.isEmpty {
            sink.field("price_delta_minor", priceDeltaMinor)
            sink.field("live_quantity", liveQuantity)
            sink.field("lines", .array(lines.map { line in
                ["sku": .string(line.sku), "quantity": .int(line.quantity), "price_delta_minor": .int(line.priceDeltaMinor),
                 "status": .string(line.status.rawValue), "refunded_at": JSONValue(line.refundedAt)]
            }))
        }
    }
}

