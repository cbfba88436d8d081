/// The campaign's public shape. In the domain, not the API layer, because it is also the
/// resource an event carries as it was after the change: one definition for both.
extension Campaign {
    public var json: JSONValue {
        var fields: [JSONValue.Field] = [
            .init("id", .int(id)),
            .init("sku", .string(sku)),
            .init("title", .string(title)),
            .init("status", .string(status.rawValue)),
            .init("currency", .string(currency.code)),
            .init("threshold", .int(threshold)),
            .init("cap", JSONValue(cap)),
            .init("pledged_quantity", .int(pledgedQuantity)),
            .init("pledge_count", .int(pledgeCount)),
            .init("remaining_quantity", JSONValue(remainingCapacity)),
            .init("tipped", .bool(isTipped)),
            .init("current_unit_price_minor", .int(currentUnitPrice.minor)),
        ]
        if let next = nextTier {
            fields.append(.init("next_tier", [
                "min_quantity": .int(next.tier.minQuantity),
                "unit_price_minor": .int(next.tier.unitPrice.minor),
                "units_needed": .int(next.unitsNeeded),
            ]))
        } else {
            fields.append(.init("next_tier", .null))
        }
        fields += [
            .init("tiers", .array(schedule.tiers.map { ["min_quantity": .int($0.minQuantity), "unit_price_minor": .int($0.unitPrice.minor)] })),
            .init("deposit_per_unit_minor", .int(depositPerUnit.minor)),
            .init("max_per_pledge", .int(maxPerPledge)),
            .init("opens_at", JSONValue(opensAt)),
            .init("closes_at", JSONValue(closesAt)),
            .init("cancellation_deadline", JSONValue(cancellationDeadline)),
            .init("balance_due_at", JSONValue(balanceDueAt)),
            .init("forfeit_deposit_on_default", .bool(forfeitDepositOnDefault)),
            .init("final_unit_price_minor", JSONValue(finalUnitPrice?.minor)),
            .init("closed_at", JSONValue(closedAt)),
            .init("team", team.map { ["size": .int($0.size), "window_seconds": .int($0.windowSeconds),
                                      "unit_price_minor": .int($0.unitPrice.minor)] } ?? .null),
            .init("time_zone", timeZone.map { .string($0) } ?? .null),
            .init("max_per_consumer", JSONValue(maxPerConsumer)),
            .init("description", description.map { .string($0) } ?? .null),
            .init("deposit_credit_per_unit_minor", .int(depositCreditPerUnit.minor)),
        ]
        // Only when set: a campaign without a delivery date reads as before.
        if let deliveryAt { fields.append(.init("delivery_at", JSONValue(deliveryAt))) }
        // Only for a campaign that sells items: one of its one implicit item reads as before.
        if sellsItems {
            fields.append(.init("items", .array(items.map { item in
                [
                    "sku": .string(item.sku), "style": JSONValue(item.style), "price_delta_minor": .int(item.priceDelta.minor),
                    "unit_price_minor": .int(unitPrice(of: item.sku, at: currentUnitPrice).minor),
                    "cap": JSONValue(item.cap), "pledged_quantity": .int(item.pledgedQuantity),
                    "remaining_quantity": JSONValue(item.remainingCapacity),
                ]
            })))
            fields.append(.init("style_minimum", JSONValue(styleMinimum)))
            if styleMinimum != nil {
                fields.append(.init("styles", .array(styles.map { ["style": .string($0), "pledged_quantity": .int(pledgedQuantity(style: $0))] })))
            }
        }
        return .object(fields)
    }
}

