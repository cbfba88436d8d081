import TuanDomain
import TuanApp

extension Leader {
    public var json: JSONValue {
        [
            "id": .int(id), "code": .string(code), "name": .string(name), "pickup_point": .string(pickupPoint),
            "commission_bps": .int(commissionBasisPoints), "member_limit": .int(memberLimit),
        ]
    }
}

extension Team {
    /// Public: a share link shows it to anyone, so it names no consumer.
    public var json: JSONValue {
        [
            "code": .string(code), "campaign_id": .int(campaignID), "size": .int(size), "member_count": .int(memberCount),
            "spots_left": .int(spotsLeft), "status": .string(status.rawValue), "expires_at": JSONValue(expiresAt),
            "share_path": .string("/c/\(campaignID)?team=\(code)"),
        ]
    }
}

extension PickList {
    public var json: JSONValue {
        [
            "leader": leader.json,
            "campaign_id": .int(campaign.id),
            "campaign_status": .string(campaign.status.rawValue),
            "total_quantity": .int(totalQuantity),
            "consumer_count": .int(Int64(consumerCount)),
            "member_limit": .int(leader.memberLimit),
            "exceeds_member_limit": .bool(exceedsMemberLimit),
            "entries": .array(entries.map { entry in
                ["pledge_id": .int(entry.pledgeID), "consumer_id": .string(entry.consumerID), "quantity": .int(entry.quantity),
                 "pickup_point": JSONValue(entry.pickupPoint), "status": .string(entry.status.rawValue)]
            }),
        ]
    }

    /// One row per pledge, for printing at the pickup point.
    public var csv: String {
        CSV.document([["consumer_id", "quantity", "pickup_point", "pledge_id", "status"]]
                     + entries.map { [$0.consumerID, String($0.quantity), $0.pickupPoint ?? "", String($0.pledgeID), $0.status.rawValue] })
    }
}

extension Subscription {
    /// `upcoming`: the next delivery weeks, the firm demand it stands for.
    public func json(upcoming: [Timestamp] = [], delivered: [(week: Timestamp, quantity: Int64, purchaseOrderID: Int64)] = []) -> JSONValue {
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
                                                  "purchase_order_id": .int($0.purchaseOrderID)] }),
            "created_at": JSONValue(createdAt), "updated_at": JSONValue(updatedAt),
        ]
    }
}

extension SubscriptionCutOff {
    public var json: JSONValue {
        ["week": JSONValue(week), "deliveries": .int(Int64(deliveries.count)),
         "units": .int(deliveries.reduce(0) { $0 + $1.quantity }),
         "purchase_orders": .array(orders.map { ["id": .int($0.id), "number": .string($0.number), "supplier_id": .int($0.supplierID)] }),
         "ended_subscriptions": .array(subscriptions.filter { $0.status == .ended }.map { .int($0.id) })]
    }
}
