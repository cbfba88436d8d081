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
                var fields: [JSONValue.Field] = [
                    .init("pledge_id", .int(entry.pledgeID)), .init("consumer_id", .string(entry.consumerID)), .init("quantity", .int(entry.quantity)),
                    .init("pickup_point", JSONValue(entry.pickupPoint)), .init("status", .string(entry.status.rawValue))]
                if campaign.sellsItems {
                    fields.append(.init("lines", .array(entry.lines.map { ["sku": .string($0.sku), "quantity": .int($0.quantity)] })))
                }
                return .object(fields)
            }),
        ]
    }

    /// One row per pledge, for printing at the pickup point.
    /// A campaign of items: one row per line, with its SKU.
    public var csv: String {
        guard campaign.sellsItems else {
            return CSV.document([["consumer_id", "quantity", "pickup_point", "pledge_id", "status"]]
                                + entries.map { [$0.consumerID, String($0.quantity), $0.pickupPoint ?? "", String($0.pledgeID), $0.status.rawValue] })
        }
        return CSV.document([["consumer_id", "sku", "quantity", "pickup_point", "pledge_id", "status"]] + entries.flatMap { entry in
            entry.lines.map { [entry.consumerID, $0.sku, String($0.quantity), entry.pickupPoint ?? "", String(entry.pledgeID), entry.status.rawValue] }
        })
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
