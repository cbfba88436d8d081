/// The subscription's public shape: the API's answer and the resource its events carry.
extension Subscription {
    /// `upcoming`: the next delivery weeks, the firm demand it stands for.
    public func json(upcoming: [Timestamp] = [], delivered: [(week: Timestamp, quantity: Int64, purchaseOrderID: Int64?)] = []) -> JSONValue {
        [
            "id": .int(id), "consumer_id": .string(consumerID), "sku": .string(sku), "quantity": .int(quantity),
            "cadence_weeks": .int(cadenceWeeks), "first_week": JSONValue(firstWeek), "periods": JSONValue(periods),
            "unit_price_minor": .int(unitPrice.minor), "deposit_minor": .int(deposit.minor), "currency": .string(currency.code),
            "leader_code": JSONValue(leaderCode), "pickup_point": JSONValue(pickupPoint), "status": .string(status.rawValue),
            "paused_from": JSONValue(pausedFrom), "paused_until": JSONValue(pausedUntil), "last_week": JSONValue(lastWeek),
            "skipped_weeks": .array(skippedWeeks.sorted().map { JSONValue($0) }),
            "delivered_count": .int(deliveredCount), "cut_off_through": JSONValue(cutOffThrough),
            "upcoming_weeks": .array(upcoming.map { JSONValue($0) }),
            "deliveries": .array(delivered.map { ["week": JSONValue($0.week), "quantity": .int($0.quantity),
                                                  "purchase_order_id": JSONValue($0.purchaseOrderID)] }),
            "created_at": JSONValue(createdAt), "updated_at": JSONValue(updatedAt),
        ]
    }
}

