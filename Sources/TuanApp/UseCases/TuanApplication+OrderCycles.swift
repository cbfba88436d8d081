import TuanDomain

extension TuanApplication {
    /// Sets when a supplier's orders go out. Members already waiting keep the cut-off they were
    /// given (they never move, so nothing is sent twice or skipped).
    public func setOrderCycle(supplierID: Int64, _ cycle: OrderCycle) -> UseCase<Supplier> {
        UseCase(self, .write, after: { _ in self.notify(.deadlines) }) { repositories in
            _ = try repositories.requireSupplier(id: supplierID)
            try repositories.setSupplierOrderCycle(id: supplierID, cycle)
            return try repositories.requireSupplier(id: supplierID)
        }
    }

    /// (supplier, cut-off) pairs due at `now`: the scheduler's work.
    public func dueCutOffs(at now: Timestamp, limit: Int = 100) -> UseCase<[SupplierCutOff]> {
        UseCase(self, .read) { try $0.dueCutOffs(at: now, limit: limit) }
    }

    /// What waits for a supplier's cut-off, as one order per delivery day (`OrderCycleCut`),
    /// in one transaction: the orders with their outbox messages, the stock they use, the
    /// payable, the refunds of what rounding cut, and every member marked with its order. A
    /// cut-off with nothing left waiting (run twice) does nothing.
    public func cutOffSupplierOrders(supplierID: Int64, cutOffAt: Timestamp, at now: Timestamp) -> UseCase<[PurchaseOrder]> {
        UseCase(self, .write, after: { orders in if !orders.isEmpty { self.notify(.deliveries) } }) { repositories in
            try self.cutOffSupplierOrders(supplierID: supplierID, cutOffAt: cutOffAt, at: now, in: repositories)
        }
    }

    func cutOffSupplierOrders(supplierID: Int64, cutOffAt: Timestamp, at now: Timestamp,
                              in repositories: any Repositories) throws -> [PurchaseOrder] {
        guard cutOffAt <= now else { throw DomainError(.invalidTransition, "the cut-off at \(cutOffAt) is not due yet") }
        let members = try repositories.pendingCycleMembers(supplierID: supplierID, cutOffAt: cutOffAt)
        guard !members.isEmpty else { return [] }
        let supplier = try repositories.requireSupplier(id: supplierID)
        // A member keeps the cycle's day boundary it was made with; a cycle switched off meanwhile still uses the supplier's offset.
        let cycle = supplier.orderCycle == .immediate
            ? try OrderCycle(minuteOfDay: 0, utcOffsetMinutes: supplier.orderCycle.utcOffsetMinutes) : supplier.orderCycle
        var campaigns: [OrderCycleCut.CampaignDemand] = []
        var weeks: [OrderCycleCut.WeekDemand] = []
        var skus: Set<String> = []
        for member in members {
            if let campaignID = member.campaignID {
                let campaign = try repositories.requireCampaign(id: campaignID)
                // Balances are paid between the close and the cut-off: paid pledges stand too.
                let destinations = try repositories.standingDestinations(campaignID: campaignID)
                campaigns.append(OrderCycleCut.CampaignDemand(member: member, campaign: campaign, destinations: destinations))
                skus.formUnion(campaign.sellsItems ? campaign.items.map(\.sku) : [campaign.sku])
            } else if let week = member.subscriptionWeek {
                let deliveries = try repositories.pendingSubscriptionDeliveries(supplierID: supplierID, week: week)
                weeks.append(OrderCycleCut.WeekDemand(member: member, deliveries: deliveries))
                skus.formUnion(deliveries.map(\.sku))
            }
        }
        var products: [String: Product] = [:], stock: [String: Int64] = [:]
        for sku in skus.sorted() {
            products[sku] = try repositories.requireProduct(sku: sku)
            stock[sku] = try repositories.stockLevel(sku: sku)
        }
        // A rule that cuts refunds the latest lines: only each campaign's latest pledges are loaded.
        var tail: [Pledge] = []
        for plan in try OrderCycleCut.plans(cycle: cycle, campaigns: campaigns, weeks: weeks, products: products, stock: stock) where plan.cuts {
            for demand in campaigns where demand.units(of: plan.sku) > 0 {
                for pledge in try repositories.latestStandingPledges(campaignID: demand.campaign.id,
                                                                      sku: demand.campaign.sellsItems ? plan.sku : nil, units: plan.tailUnits)
                    where !tail.contains(where: { $0.id == pledge.id }) {
                    tail.append(pledge)
                }
            }
        }
        let cut = try OrderCycleCut.cut(supplierID: supplierID, cutOffAt: cutOffAt, cycle: cycle, campaigns: campaigns, weeks: weeks,
                                        products: products, stock: stock, tail: tail, at: now)
        var changeset = Changeset()
        changeset.purchaseOrders = cut.orders.compactMap(\.order)
        changeset.journal = cut.journal
        changeset.pledges = cut.refunded
        changeset.reducedPledges = cut.reduced
        changeset.stockDeltas = cut.stockDeltas
        let applied = try apply(changeset, to: repositories, at: now)
        var stored = applied.purchaseOrders.makeIterator()
        var orders: [PurchaseOrder] = []
        for dayOrder in cut.orders {
            guard dayOrder.order != nil, let order = stored.next() else {
                try repositories.assignCycleMembers(dayOrder.memberIDs, purchaseOrderID: nil, at: now)
                continue
            }
            try repositories.assignCycleMembers(dayOrder.memberIDs, purchaseOrderID: order.id, at: now)
            try repositories.assignSubscriptionDeliveries(dayOrder.deliveries, purchaseOrderID: order.id)
            orders.append(try repositories.requirePurchaseOrder(id: order.id))
        }
        // A member with nothing left to order (a week whose deliveries all paused, a campaign whose
        // pledges all defaulted) is cut off too: left waiting, it would be due again forever.
        let placed = Set(cut.orders.flatMap(\.memberIDs))
        let empty = members.map(\.id).filter { !placed.contains($0) }
        if !empty.isEmpty { try repositories.assignCycleMembers(empty, purchaseOrderID: nil, at: now) }
        return orders
    }
}
