import Foundation
import TuanDomain

extension PurchaseOrder {
    /// The order as the API shows it: the supplier's payload plus where its delivery stands.
    public func json(delivery: DeliveryStatus?) -> JSONValue {
        guard case .object(var fields) = json else { return json }
        fields.append(.init("delivery", delivery?.json ?? .null))
        return .object(fields)
    }

    /// One row per line and destination, so a supplier can pack from a spreadsheet. A line with
    /// no breakdown still gets one row.
    public static func csv(_ orders: [PurchaseOrder], deliveries: [Int64: DeliveryStatus] = [:]) -> String {
        var rows: [[String]] = [[
            "po_number", "po_id", "supplier_id", "campaign_id", "status", "delivery_state", "requested_delivery_at", "sku",
            "product_name", "confirmed_quantity", "order_quantity", "rounding_surplus", "accepted_quantity", "unit_cost_minor",
            "line_cost_minor", "currency", "pickup_point", "leader_code", "destination_quantity", "destination_pledges",
        ]]
        for order in orders {
            for line in order.lines {
                let head = [order.number, String(order.id), String(order.supplierID), order.campaignID.map(String.init) ?? "",
                            order.status.rawValue, deliveries[order.id]?.state.rawValue ?? "", order.requestedDeliveryAt.rfc3339,
                            line.sku, line.productName, String(line.confirmedQuantity), String(line.orderQuantity),
                            String(line.roundingSurplus), line.acceptedQuantity.map(String.init) ?? "", String(line.unitCost.minor),
                            String(line.cost.minor), order.currency.code]
                if line.destinations.isEmpty { rows.append(head + ["", "", "", ""]) }
                for destination in line.destinations {
                    rows.append(head + [destination.pickupPoint ?? "", destination.leaderCode ?? "", String(destination.quantity),
                                        String(destination.pledgeCount)])
                }
            }
        }
        return CSV.document(rows)
    }
}

extension DeliveryStatus {
    public var json: JSONValue {
        [
            "state": .string(state.rawValue),
            "webhook_id": .string(webhookID),
            "attempt_count": .int(attemptCount),
            "next_attempt_at": JSONValue(nextAttemptAt),
            "delivered_at": JSONValue(deliveredAt),
            "last_error": JSONValue(lastError),
            "attempts": .array(attempts.map { attempt in
                [
                    "attempt": .int(attempt.attempt),
                    "started_at": .string(attempt.startedAt.rfc3339),
                    "url": .string(attempt.url),
                    "status_code": JSONValue(attempt.statusCode),
                    "latency_ms": .int(attempt.latencyMilliseconds),
                    "error": JSONValue(attempt.error),
                    "outcome": .string(attempt.outcome.rawValue),
                ]
            }),
        ]
    }
}
