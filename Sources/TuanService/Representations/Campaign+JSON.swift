import TuanApp
import TuanDomain

extension Supplier {
    /// `includeSecret` only when the supplier is created: the secret is shown once.
    public func json(includeSecret: Bool = false) -> JSONValue {
        var fields: [JSONValue.Field] = [
            .init("id", .int(id)), .init("name", .string(name)), .init("endpoint_url", JSONValue(endpointURL)),
            .init("endpoint_disabled", .bool(endpointDisabled)),
            .init("order_cut_off", .string(orderCycle.cutOffText)), .init("utc_offset_minutes", .int(orderCycle.utcOffsetMinutes)),
        ]
        if includeSecret { fields.append(.init("webhook_secret", .string(webhookSecret))) }
        return .object(fields)
    }
}

extension Product {
    public var json: JSONValue {
        [
            "sku": .string(sku), "supplier_id": .int(supplierID), "name": .string(name), "category": .string(category),
            "case_pack": .int(casePack), "minimum_order_quantity": .int(minimumOrderQuantity),
            "unit_cost_minor": .int(unitCost.minor), "currency": .string(unitCost.currency.code), "capacity": JSONValue(capacity),
            "style": JSONValue(style), "attributes": attributesJSON, "lead_days": JSONValue(leadDays),
            "rounding": .string(rounding.name), "rounding_tolerance": JSONValue(rounding.tolerance), "below_minimum": .string(belowMinimum.rawValue),
        ]
    }
}

extension LedgerBalances {
    public var json: JSONValue {
        .object(balances.keys.sorted().map { currency in
            let accounts = Account.allCases.map { JSONValue.Field($0.rawValue, .int(balance($0, currency: currency))) }
            return JSONValue.Field(currency, .object(accounts + [
                .init("escrow_held_minor", .int(escrowHeld(currency: currency))),
                .init("balanced", .bool(balances[currency]!.values.reduce(0, &+) == 0)),
            ]))
        })
    }
}

extension CampaignClose {
    public var json: JSONValue {
        var fields: [JSONValue.Field] = [
            .init("campaign", campaign.json),
            .init("pledges_confirmed", .int(pledgesConfirmed)),
            .init("pledges_refunded", .int(pledgesRefunded)),
        ]
        func demandJSON(_ demand: AggregatedDemand) -> JSONValue {
            [
                "sku": .string(demand.sku), "supplier_id": .int(demand.supplierID),
                "confirmed_quantity": .int(demand.confirmedQuantity), "order_quantity": .int(demand.orderQuantity),
                // Nothing is ordered before a supplier's cut-off, so nothing is rounded yet.
                "rounding_surplus": .int(waitsForCutOff ? 0 : demand.roundingSurplus), "unit_cost_minor": .int(demand.unitCost.minor),
                "cost_minor": .int(demand.cost.minor),
            ]
        }
        if let demand { fields.append(.init("demand", demandJSON(demand))) }
        // A campaign of items: every item's demand (`demand` is the first's).
        if campaign.sellsItems { fields.append(.init("demands", .array(demands.map(demandJSON)))) }
        if let purchaseOrder {
            fields.append(.init("purchase_order", ["id": .int(purchaseOrder.id), "number": .string(purchaseOrder.number)]))
        }
        // Its supplier orders once a day: the campaign's pledges go out in that cut-off's order.
        if let cutOffAt { fields.append(.init("cut_off_at", .string(cutOffAt.rfc3339))) }
        return .object(fields)
    }
}
