/// The basket's public shape: the answer to `POST /v1/baskets` (stored, so a replay answers
/// the same bytes) and the resource of its `basket.created` event.
extension Basket {
    public var json: JSONValue {
        var fields = JSONFieldList()
        fields.field("id", id)
        fields.field("consumer_id", consumerID)
        fields.field("pickup_point", pickupPoint)
        fields.field("deposit_payment_ref", depositPaymentRef)
        fields.field("partial", .bool(partial))
        fields.field("placed_count", Int64(placedPledges.count))
        fields.field("refused_count", Int64(lines.count - placedPledges.count))
        let deposits = (try? depositTotals()) ?? []
        fields.field("deposits", .array(deposits.map { ["currency": .string($0.currency.code), "amount_minor": .int($0.minor)] }))
        fields.field("lines", .array(lines.enumerated().map { index, line in
            var item: [JSONValue.Field] = [.init("line", .int(Int64(index + 1))), .init("campaign_id", .int(line.campaignID)),
                                           .init("quantity", .int(line.quantity))]
            switch line.outcome {
            case .placed(let pledge):
                item += [.init("status", "placed"), .init("pledge", pledge.json)]
            case .refused(let error):
                item += [.init("status", "refused"), .init("error", ["code": .string(error.code.rawValue), "field": JSONValue(error.field),
                                                                      "message": .string(error.message)])]
            }
            return .object(item)
        }))
        fields.field("created_at", createdAt)
        return fields.object
    }
}
