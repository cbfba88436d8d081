/// The order's JSON shape. It lives in the domain, not the API layer, because it is also the
/// body of the signed webhook: suppliers code against it, so it is one definition for both.
extension PurchaseOrder {
    public static let createdEventType = "purchase_order.created"

    public var json: JSONValue {
        guard case .object(var fields) = baseJSON else { return baseJSON }
        // Only once received: an order not received reads as before.
        if let receivedAt {
            fields.append(.init("received_at", .string(receivedAt.rfc3339)))
            fields.append(.init("receipt_note", JSONValue(receiptNote)))
        }
        // Only once a leader received its point: other orders read as before.
        if !pointReceipts.isEmpty {
            fields.append(.init("point_receipts", .array(pointReceipts.map { point in
                ["leader_id": .int(point.leaderID), "leader_code": .string(point.leaderCode), "pickup_point": .string(point.pickupPoint),
                 "received_at": .string(point.receivedAt.rfc3339), "note": JSONValue(point.note),
                 "lines": .array(point.lines.map { ["sku": .string($0.sku), "expected_quantity": .int($0.expected),
                                                    "received_quantity": .int($0.received)] })]
            })))
        }
        // Only for a supplier's day order: an order of one close reads as before.
        if let cutOffAt {
            fields.append(.init("cut_off_at", .string(cutOffAt.rfc3339)))
            fields.append(.init("campaign_ids", .array(memberCampaignIDs.map { .int($0) })))
        }
        // Only for orders of styled SKUs: other orders read exactly as before.
        let totals = styleTotals
        if !totals.isEmpty {
            fields.append(.init("style_totals", .array(totals.map {
                ["style": .string($0.style), "confirmed_quantity": .int($0.confirmed), "order_quantity": .int($0.ordered),
                 "shipping_quantity": .int($0.shipping)]
            })))
        }
        return .object(fields)
    }

    private var baseJSON: JSONValue {
        [
            "id": .int(id),
            "number": .string(number),
            "supplier_id": .int(supplierID),
            "campaign_id": JSONValue(campaignID),
            "subscription_week": JSONValue(subscriptionWeek),
            "status": .string(status.rawValue),
            "currency": .string(currency.code),
            "total_cost_minor": .int(totalCost.minor),
            "requested_delivery_at": .string(requestedDeliveryAt.rfc3339),
            "created_at": .string(createdAt.rfc3339),
            "lines": .array(lines.map(\.json)),
            "acknowledgement": acknowledgementJSON,
        ]
    }

    private var acknowledgementJSON: JSONValue {
        guard let acknowledgement, let acknowledgedAt else { return .null }
        return [
            "decision": .string(acknowledgement.decision.rawValue),
            "promised_ship_date": JSONValue(acknowledgement.promisedShipAt),
            "reason": JSONValue(acknowledgement.reason),
            "acknowledged_at": .string(acknowledgedAt.rfc3339),
        ]
    }

    /// The Standard Webhooks body: `{type, timestamp, data}`.
    public var webhookPayload: JSONValue {
        ["type": .string(Self.createdEventType), "timestamp": .string(createdAt.rfc3339), "data": json]
    }
}

extension PurchaseOrder.Line {
    public var json: JSONValue {
        guard style != nil || receivedQuantity != nil || fromStock > 0, case .object(var fields) = baseJSON else { return baseJSON }
        if let style { fields.append(.init("style", .string(style))) }
        if fromStock > 0 { fields.append(.init("from_stock", .int(fromStock))) }
        if let receivedQuantity { fields.append(.init("received_quantity", .int(receivedQuantity))) }
        return .object(fields)
    }

    private var baseJSON: JSONValue {
        [
            "sku": .string(sku),
            "product_name": .string(productName),
            "confirmed_quantity": .int(confirmedQuantity),
            "order_quantity": .int(orderQuantity),
            "rounding_surplus": .int(roundingSurplus),
            "unit_cost_minor": .int(unitCost.minor),
            "line_cost_minor": .int(cost.minor),
            "consumer_unit_price_minor": .int(unitPrice.minor),
            "accepted_quantity": JSONValue(acceptedQuantity),
            "destinations": .array(destinations.map {
                ["pickup_point": JSONValue($0.pickupPoint), "leader_code": JSONValue($0.leaderCode),
                 "quantity": .int($0.quantity), "pledge_count": .int($0.pledgeCount)]
            }),
        ]
    }
}
