import TuanApp
import TuanDomain

extension Campaign {
    /// The public shape of a campaign, shared by the API and `--json`.
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
        return .object(fields)
    }
}

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

    func writeJSON<Sink: JSONObjectSink>(to sink: inout Sink) {
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
    }
}

extension Supplier {
    /// `includeSecret` only when the supplier is created: the secret is shown once.
    public func json(includeSecret: Bool = false) -> JSONValue {
        var fields: [JSONValue.Field] = [
            .init("id", .int(id)), .init("name", .string(name)), .init("endpoint_url", JSONValue(endpointURL)),
            .init("endpoint_disabled", .bool(endpointDisabled)),
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
        if let demand {
            fields.append(.init("demand", [
                "sku": .string(demand.sku), "supplier_id": .int(demand.supplierID),
                "confirmed_quantity": .int(demand.confirmedQuantity), "order_quantity": .int(demand.orderQuantity),
                "rounding_surplus": .int(demand.roundingSurplus), "unit_cost_minor": .int(demand.unitCost.minor),
                "cost_minor": .int(demand.cost.minor),
            ]))
        }
        if let purchaseOrder {
            fields.append(.init("purchase_order", ["id": .int(purchaseOrder.id), "number": .string(purchaseOrder.number)]))
        }
        return .object(fields)
    }
}
