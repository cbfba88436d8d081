import Foundation
import TuanDomain
import TuanForecast
import TuanApp
import TuanDelivery

/// Writes a `SyntheticMarket` into a store through the same use cases the API calls,
/// each campaign (open, pledges, cancellations, close, balance payments and defaults) in one
/// transaction at its simulated times, so simulated history obeys every rule real data does.
struct SimulationLoader {
    struct Summary: Sendable {
        var suppliers = 0, products = 0, campaigns = 0, open = 0, succeeded = 0, failed = 0
        var pledges = 0, cancelled = 0, soldOutRefusals = 0, paid = 0, defaulted = 0, purchaseOrders = 0

        /// Folds in one campaign's counts (the catalogue counts are set once, up front).
        mutating func add(_ campaign: Summary) {
            campaigns += 1
            open += campaign.open; succeeded += campaign.succeeded; failed += campaign.failed
            pledges += campaign.pledges; cancelled += campaign.cancelled; soldOutRefusals += campaign.soldOutRefusals
            paid += campaign.paid; defaulted += campaign.defaulted; purchaseOrders += campaign.purchaseOrders
        }
    }

    let app: TuanApplication
    let market: SyntheticMarket
    let now: Int64
    /// When set, every supplier orders once a day at this cut-off: the day's closes go out as
    /// one order per supplier and delivery day, each accepted and received in full at its
    /// delivery, so a rounding surplus is stock that the next cut-off of the SKU uses first.
    var orderCycle: OrderCycle = .immediate

    func load(progress: (Int, Int, Summary) -> Void) throws -> Summary {
        let market = self.market, now = self.now
        var summary = try app.inOneTransaction { db -> Summary in
            guard try db.products().isEmpty else {
                throw DomainError(.conflict, "the database already has products; simulate into a fresh --db")
            }
            var summary = Summary()
            var supplierIDs: [Int64] = []
            for name in SyntheticMarket.supplierNames {
                supplierIDs.append(try db.createSupplier(name: name, endpointURL: nil, webhookSecret: WebhookSecret.generate(),
                                                          at: Timestamp(seconds: now - 400 * 86_400)).id)
                summary.suppliers += 1
            }
            for product in market.products {
                try db.createProduct(try Product(sku: product.sku, supplierID: supplierIDs[product.supplierIndex], name: product.name,
                                                 casePack: product.casePack, minimumOrderQuantity: product.minimumOrderQuantity,
                                                 unitCost: Money(minor: product.unitCostMinor, currency: .cny), capacity: nil,
                                                 category: product.category, style: product.style,
                                                 attributes: product.attributes.map { try ProductAttribute(name: $0.name, value: $0.value) }),
                                     at: Timestamp(seconds: now - 400 * 86_400))
                summary.products += 1
            }
            // The market's group leaders, each with a pickup point and a 3% commission.
            for (index, code) in SyntheticMarket.leaderCodes.enumerated() {
                _ = try db.registerLeader(try Leader(id: 0, code: code, name: "Leader \(index + 1)", pickupPoint: "Pickup point \(index + 1)",
                                                   commissionBasisPoints: 300), at: Timestamp(seconds: now - 400 * 86_400))
            }
            return summary
        }.runBlocking()
        if orderCycle != .immediate {
            for supplier in try app.suppliers().runBlocking() { _ = try app.setOrderCycle(supplierID: supplier.id, orderCycle).runBlocking() }
        }
        for (index, campaign) in market.campaigns.enumerated() {
            summary.add(try app.inOneTransaction { db in try Self.run(campaign, number: index, market: market, now: now, in: db) }.runBlocking())
            progress(index + 1, market.campaigns.count, summary)
        }
        summary.purchaseOrders += try runCutOffs()
        return summary
    }

    /// Every cut-off due by `now`, oldest first (the stock a delivery leaves is there for the
    /// next), each order accepted an hour later and received in full at its delivery date.
    private func runCutOffs() throws -> Int {
        guard orderCycle != .immediate else { return 0 }
        var sent = 0
        for due in try app.dueCutOffs(at: Timestamp(seconds: now), limit: 1_000_000).runBlocking() {
            for order in try app.cutOffSupplierOrders(supplierID: due.supplierID, cutOffAt: due.cutOffAt,
                                                      at: due.cutOffAt.adding(seconds: 1)).runBlocking() {
                sent += 1
                let answered = due.cutOffAt.adding(seconds: 3_600)
                guard answered.seconds < now else { continue }
                let arrives = max(order.requestedDeliveryAt, answered.adding(seconds: 1))
                _ = try app.acknowledgePurchaseOrder(id: order.id, PurchaseOrderAcknowledgement(decision: .accepted, promisedShipAt: arrives),
                                                     by: nil, at: answered).runBlocking()
                guard arrives.seconds < now else { continue }
                _ = try app.receivePurchaseOrder(id: order.id, PurchaseOrderReceipt(), at: arrives).runBlocking()
            }
        }
        return sent
    }

    private static func run(_ simulated: SyntheticMarket.SimulatedCampaign, number: Int, market: SyntheticMarket,
                            now: Int64, in db: AppTransaction) throws -> Summary {
        var summary = Summary()
        let product = market.products[simulated.productIndex]
        let draft = try CampaignDraft(
            sku: product.sku, title: simulated.title, opensAt: Timestamp(seconds: simulated.opensAt),
            closesAt: Timestamp(seconds: simulated.closesAt), threshold: simulated.threshold, cap: simulated.cap,
            tiers: simulated.tiers.map { PriceTier(minQuantity: $0.minQuantity, unitPrice: Money(minor: $0.unitPriceMinor, currency: .cny)) },
            depositPerUnit: Money(minor: simulated.depositPerUnitMinor, currency: .cny),
            items: try zip(simulated.itemProductIndices, simulated.itemPriceDeltasMinor).map { index, delta in
                try CampaignItem(sku: market.products[index].sku, priceDelta: Money(minor: delta, currency: .cny))
            },
            styleMinimum: simulated.itemProductIndices.isEmpty ? nil : simulated.threshold)
        let campaign = try db.createCampaign(draft, publish: true, at: Timestamp(seconds: simulated.opensAt - 3_600))

        enum Event { case pledge(Int), cancel(Int) }
        var events: [(at: Int64, event: Event)] = []
        for (index, pledge) in simulated.pledges.enumerated() {
            events.append((simulated.opensAt + pledge.offset, .pledge(index)))
            if let cancel = pledge.cancelOffset { events.append((simulated.opensAt + cancel, .cancel(index))) }
        }
        events.sort { $0.at < $1.at }
        var placed: [Int: Int64] = [:]
        for (at, event) in events where at < now {
            switch event {
            case .pledge(let index):
                let pledge = simulated.pledges[index]
                let lines = pledge.item.map { [PledgeLine.Request(sku: market.products[simulated.itemProductIndices[$0]].sku,
                                                                  quantity: pledge.quantity)] } ?? []
                let request = try PledgeRequest(consumerID: pledge.consumer, quantity: pledge.quantity, lines: lines,
                                                leaderCode: pledge.leaderCode, idempotencyKey: "sim-\(number)-\(index)")
                do {
                    placed[index] = try db.placePledge(campaignID: campaign.id, request: request, scope: "simulate",
                                                       at: Timestamp(seconds: at)).pledge.id
                    summary.pledges += 1
                } catch let error as DomainError where error.code == .soldOut {
                    summary.soldOutRefusals += 1
                }
            case .cancel(let index):
                guard let id = placed[index] else { continue }
                _ = try db.cancelPledge(id: id, at: Timestamp(seconds: at))
                summary.cancelled += 1
            }
        }
        guard simulated.closesAt <= now else { summary.open = 1; return summary }
        let settlement = try db.closeCampaign(id: campaign.id, reason: .closed, at: Timestamp(seconds: simulated.closesAt))
        guard settlement.campaign.status == .succeeded else { summary.failed = 1; return summary }
        summary.succeeded = 1
        if settlement.purchaseOrder != nil { summary.purchaseOrders = 1 }
        let due = campaign.balanceDueAt.seconds
        let confirmed = Set(try db.pledges(campaignID: campaign.id, status: .confirmed).map(\.id))
        for (index, id) in placed.sorted(by: { $0.key < $1.key }) where confirmed.contains(id) {
            let pledge = simulated.pledges[index]
            let paysAt = simulated.closesAt + pledge.settlementDelay
            if pledge.paysBalance, paysAt < min(now, due) {
                _ = try db.payBalance(pledgeID: id, at: Timestamp(seconds: paysAt))
                summary.paid += 1
            } else if !pledge.paysBalance, due <= now {
                _ = try db.defaultPledge(id: id, at: Timestamp(seconds: due))
                summary.defaulted += 1
            }
        }
        return summary
    }
}
