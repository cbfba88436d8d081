import TuanDomain

/// Loads that answer `not_found` (naming the input at fault) instead of nil.
extension Repositories {
    public func requireCampaign(id: Int64) throws -> Campaign {
        guard let campaign = try campaign(id: id) else { throw DomainError(.notFound, field: "campaign_id", "campaign \(id) does not exist") }
        return campaign
    }

    public func requirePledge(id: Int64) throws -> Pledge {
        guard let pledge = try pledge(id: id) else { throw DomainError(.notFound, field: "pledge_id", "pledge \(id) does not exist") }
        return pledge
    }

    public func requireProduct(sku: String) throws -> Product {
        guard let product = try product(sku: sku) else { throw DomainError(.notFound, field: "sku", "product \(sku) does not exist") }
        return product
    }

    public func requireSupplier(id: Int64) throws -> Supplier {
        guard let supplier = try supplier(id: id) else {
            throw DomainError(.notFound, field: "supplier_id", "supplier \(id) does not exist")
        }
        return supplier
    }

    public func requireLeader(id: Int64) throws -> Leader {
        guard let leader = try leader(id: id) else { throw DomainError(.notFound, field: "leader_id", "leader \(id) does not exist") }
        return leader
    }

    public func requirePurchaseOrder(id: Int64) throws -> PurchaseOrder {
        guard let order = try purchaseOrder(id: id) else {
            throw DomainError(.notFound, field: "purchase_order_id", "purchase order \(id) does not exist")
        }
        return order
    }

    public func requireSubscription(id: Int64) throws -> Subscription {
        guard let subscription = try subscription(id: id) else {
            throw DomainError(.notFound, field: "subscription_id", "subscription \(id) does not exist")
        }
        return subscription
    }

    public func requireTeam(id: Int64) throws -> Team {
        guard let team = try team(id: id) else { throw DomainError(.notFound, field: "team_id", "team \(id) does not exist") }
        return team
    }
}
