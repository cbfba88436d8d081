/// The refund's public shape: the API's answer and the resource its events carry.
extension Refund {
    public var json: JSONValue {
        ["id": .int(id), "pledge_id": .int(pledgeID), "campaign_id": .int(campaignID), "consumer_id": .string(consumerID),
         "amount_minor": .int(amount.minor), "currency": .string(amount.currency.code), "reason": .string(reason.rawValue),
         "status": .string(status.rawValue), "reference": reference.map { .string($0) } ?? .null, "created_at": JSONValue(createdAt),
         "completed_at": JSONValue(completedAt)]
    }
}
