import TuanDomain

extension TuanApplication {
    public func purchaseOrder(id: Int64) -> UseCase<(PurchaseOrder, DeliveryStatus?)> {
        UseCase(self, .read) { repositories in
            (try repositories.requirePurchaseOrder(id: id), try repositories.deliveryStatus(purchaseOrderID: id))
        }
    }

    /// Orders matching `filter`, newest first, each with its delivery.
    public func purchaseOrders(_ filter: PurchaseOrderFilter = PurchaseOrderFilter()) -> UseCase<([PurchaseOrder], [Int64: DeliveryStatus])> {
        UseCase(self, .read) { repositories in
            let orders = try repositories.purchaseOrders(filter)
            return (orders, try repositories.deliveryStatuses(of: orders))
        }
    }

    /// A supplier's answer: the order's status and accepted quantities, the pledges it cannot
    /// fill (refunded) and the ledger. A supplier may answer only its own orders.
    public func acknowledgePurchaseOrder(id: Int64, _ answer: PurchaseOrderAcknowledgement, by principal: Principal?,
                                         at now: Timestamp) -> UseCase<(AcknowledgementOutcome, DeliveryStatus?)> {
        UseCase(self, .write) { repositories in
            let order = try repositories.requirePurchaseOrder(id: id)
            try principal.map { try order.checkAccess(by: $0) }
            let inputs = try Self.allocationInputs(of: order, in: repositories)
            let outcome = try order.acknowledging(answer, pledges: inputs.pledges, at: now, campaigns: inputs.campaigns,
                                                  deliveries: inputs.deliveries)
            precondition(outcome.journal.allSatisfy { entry in entry.postings.reduce(0) { $0 &+ $1.amountMinor } == 0 })
            try repositories.saveAcknowledgement(outcome, previous: order, at: now)
            try repositories.recordEvents(outcome.events, at: now)
            return (outcome, try repositories.deliveryStatus(purchaseOrderID: id))
        }
    }

    /// What arrived of an answered order (admin): the payable follows it, a short delivery
    /// refunds the lines that did not arrive (the last-arrived first), an over-delivery is stock.
    public func receivePurchaseOrder(id: Int64, _ receipt: PurchaseOrderReceipt, at now: Timestamp) -> UseCase<ReceiptOutcome> {
        UseCase(self, .write) { repositories in
            let order = try repositories.requirePurchaseOrder(id: id)
            let inputs = try Self.allocationInputs(of: order, in: repositories)
            let outcome = try order.receiving(receipt, pledges: inputs.pledges, at: now, campaigns: inputs.campaigns,
                                              deliveries: inputs.deliveries, points: order.pointReceipts)
            precondition(outcome.journal.allSatisfy { entry in entry.postings.reduce(0) { $0 &+ $1.amountMinor } == 0 })
            try repositories.saveReceipt(outcome, previous: order, at: now)
            try repositories.recordEvents(outcome.events, at: now)
            return outcome
        }
    }

    /// What arrived at a leader's pickup point (`PurchaseOrder.receivingAtPoint`): a shortfall
    /// there refunds the point's last-arrived lines; units beyond it are stock. The operator's
    /// receipt later covers the rest of the order.
    public func receivePurchaseOrderAtPoint(id: Int64, _ receipt: PurchaseOrderReceipt, leaderID: Int64,
                                            at now: Timestamp) -> UseCase<PointReceiptOutcome> {
        UseCase(self, .write) { repositories in
            let order = try repositories.requirePurchaseOrder(id: id)
            let leader = try repositories.requireLeader(id: leaderID)
            let inputs = try Self.allocationInputs(of: order, in: repositories)
            let outcome = try order.receivingAtPoint(receipt, leader: leader, received: order.pointReceipts, pledges: inputs.pledges,
                                                     campaigns: inputs.campaigns, deliveries: inputs.deliveries, at: now)
            precondition(outcome.journal.allSatisfy { entry in entry.postings.reduce(0) { $0 &+ $1.amountMinor } == 0 })
            try repositories.savePointReceipt(outcome, previous: order, at: now)
            var stored = outcome
            stored.order = try repositories.requirePurchaseOrder(id: id)
            try repositories.recordEvents(stored.events, at: now)
            return stored
        }
    }

    /// What a short answer or delivery shares out over: the pledges and campaigns of the
    /// order's campaign (or of the campaigns in a supplier-day order) and its subscription deliveries.
    private static func allocationInputs(of order: PurchaseOrder,
                                         in repositories: any Repositories) throws -> (pledges: [Pledge], campaigns: [Campaign], deliveries: [SubscriptionDelivery]) {
        var pledges: [Pledge] = [], campaigns: [Campaign] = []
        for campaignID in order.allocationCampaignIDs.sorted() {
            pledges += try repositories.pledges(campaignID: campaignID, status: nil)
            campaigns.append(try repositories.requireCampaign(id: campaignID))
        }
        return (pledges, campaigns, try repositories.subscriptionDeliveries(purchaseOrderID: order.id))
    }

    /// Units in stock per SKU.
    public func stockLevels() -> UseCase<[(sku: String, quantity: Int64)]> {
        UseCase(self, .read) { try $0.stockLevels() }
    }

    /// Sends a dead or held order again from a fresh retry schedule, re-enabling its
    /// supplier's endpoint; the webhook id stays, so a receiver that has it can tell.
    public func redeliver(purchaseOrderID: Int64, at now: Timestamp) -> UseCase<DeliveryStatus> {
        UseCase(self, .write, after: { _ in self.notify(.deliveries) }) { repositories in
            let order = try repositories.requirePurchaseOrder(id: purchaseOrderID)
            guard let current = try repositories.deliveryStatus(purchaseOrderID: purchaseOrderID) else {
                throw DomainError(.notFound, field: "purchase_order_id", "purchase order \(purchaseOrderID) has no delivery")
            }
            try current.checkRedeliverable(purchaseOrderID: purchaseOrderID)
            try repositories.setSupplierEndpointDisabled(id: order.supplierID, false)
            try repositories.requeueDelivery(purchaseOrderID: purchaseOrderID, at: now)
            return try repositories.deliveryStatus(purchaseOrderID: purchaseOrderID)!
        }
    }

    // MARK: the delivery worker

    /// Leases up to `limit` due messages; runs on the writer, so two workers never claim one.
    public func claimDueDeliveries(at now: Timestamp, limit: Int, leaseSeconds: Int64) -> UseCase<[OutboxMessage]> {
        UseCase(self, .write) { try $0.claimDueDeliveries(at: now, limit: limit, leaseSeconds: leaseSeconds) }
    }

    /// Records an attempt (if one was made) and what the worker decided, in one transaction.
    public func recordDelivery(outboxID: Int64, attempt: DeliveryAttempt?, decision: DeliveryDecision, at now: Timestamp) -> UseCase<Void> {
        UseCase(self, .write) { repositories in
            try repositories.recordDelivery(outboxID: outboxID, attempt: attempt, decision: decision, at: now)
            let type: EventType
            switch decision {
            case .delivered: type = .purchaseOrderDelivered
            case .dead: type = .purchaseOrderDeadLettered
            default: return
            }
            if let orderID = try repositories.purchaseOrderID(outboxID: outboxID) {
                try repositories.recordEvents([.purchaseOrder(type, try repositories.requirePurchaseOrder(id: orderID))], at: now)
            }
        }
    }

    /// When the next pending message becomes due: the worker sleeps until then, or a write.
    public func nextDeliveryDue() -> UseCase<Timestamp?> {
        UseCase(self, .read) { try $0.nextDeliveryDue() }
    }
}
