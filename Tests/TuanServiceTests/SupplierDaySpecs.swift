import Foundation
import Testing
import TuanApp
import TuanDomain
@testable import TuanService
import TuanTesting

/// A day of community group buying with supplier cut-offs (issue 23): five suppliers ordering
/// daily at 23:30 (UTC+8), thirty campaigns closing between 20:00 and 23:00, three pickup
/// points, two suppliers with a subscription week delivering the same next day. Exactly one
/// order per supplier and delivery day comes out, with its per-point breakdown, and the
/// next day's hand-out lists (with the subscriptions) sum to the orders.
@Suite struct SupplierDaySpecs {
    /// Sunday 2030-01-06 18:00 at UTC+8 (10:00 UTC); Monday's week starts 2030-01-07 00:00 UTC.
    static let sunday = Timestamp(rfc3339: "2030-01-06T10:00:00Z")!
    static let cutOff = Timestamp(rfc3339: "2030-01-06T15:30:00Z")!
    static let week = Timestamp(rfc3339: "2030-01-07T00:00:00Z")!
    static let points = ["l1", "l2", "l3"]

    struct Day {
        var api: InProcessAPI
        var supplierIDs: [Int64]
        var skus: [[String]]
        var campaignIDs: [Int64]
        var lateCampaignID: Int64
    }

    /// The day, up to the campaigns' closes (all before the cut-off, one after it).
    static func day(seed generatorSeed: UInt64 = 2026) throws -> Day {
        let api = try InProcessAPI(now: sunday)
        let app = api.app
        var random = SeededGenerator(seed: generatorSeed)
        for code in points { try Seed(app, at: sunday).leader(code) }
        var supplierIDs: [Int64] = [], skus: [[String]] = []
        let rules: [RoundingPolicy] = [.up, .down, .nearest(tolerance: 3), .up, .up]
        for index in 0..<5 {
            let supplier = try app.createSupplier(name: "Supplier \(index)", endpointURL: nil, webhookSecret: "whsec_c2VlZA==", at: sunday).runBlocking()
            _ = try app.setOrderCycle(supplierID: supplier.id, .daily(minuteOfDay: 23 * 60 + 30, utcOffsetMinutes: 480)).runBlocking()
            supplierIDs.append(supplier.id)
            var own: [String] = []
            for item in 0..<2 {
                var product = try Product(sku: "s\(index)-p\(item)", supplierID: supplier.id, name: "Product \(index)/\(item)",
                                          casePack: [6, 10, 12][(index + item) % 3], minimumOrderQuantity: 0,
                                          unitCost: Money(minor: 300 + Int64(index * 50), currency: .cny), capacity: nil, leadDays: 1)
                product.rounding = rules[index]
                _ = try app.createProduct(product, at: sunday).runBlocking()
                own.append(product.sku)
            }
            skus.append(own)
        }
        // Two subscription suppliers: a week of standing orders delivered Monday, cut off ahead.
        for index in [3, 4] {
            for (n, code) in points.enumerated() {
                let request = try SubscriptionRequest(consumerID: "sub-\(index)-\(n)", sku: skus[index][0], quantity: Int64(n + 2), start: week,
                                                      periods: nil, unitPrice: Money(minor: 900, currency: .cny),
                                                      deposit: Money(minor: 0, currency: .cny), leaderCode: code,
                                                      at: sunday.adding(days: -7))
                _ = try app.subscribe(request, scope: "test", idempotencyKey: "sub-\(index)-\(n)", at: sunday.adding(days: -7)).runBlocking()
            }
        }
        let weekCut = try app.cutOffWeek(week, at: sunday.adding(days: -2)).runBlocking()
        #expect(weekCut.orders.isEmpty && weekCut.cycleMembers.count == 2, "cycled suppliers' weeks wait for their cut-off")
        // Thirty campaigns, six a supplier, closing 20:00 to 23:00 local; pledges through the three points.
        var campaignIDs: [Int64] = []
        for number in 0..<30 {
            let supplier = number % 5
            let sku = skus[supplier][number / 5 % 2]
            let closesAt = Timestamp(rfc3339: "2030-01-06T12:00:00Z")!.adding(seconds: Int64(number) * 360)
            let draft = try CampaignDraft(sku: sku, title: "Day \(number)", opensAt: sunday.adding(seconds: -3_600), closesAt: closesAt,
                                          threshold: 1, cap: nil,
                                          tiers: [PriceTier(minQuantity: 1, unitPrice: Money(minor: 1_000, currency: .cny))],
                                          depositPerUnit: Money(minor: 100, currency: .cny))
            let campaign = try app.createCampaign(draft, publish: true, at: sunday.adding(seconds: -3_600)).runBlocking()
            campaignIDs.append(campaign.id)
            for p in 0..<Int.random(in: 2...6, using: &random) {
                let request = try PledgeRequest(consumerID: "c\(number)-\(p)", quantity: Int64.random(in: 1...7, using: &random),
                                                leaderCode: points[Int.random(in: 0..<3, using: &random)], idempotencyKey: "\(number)-\(p)")
                _ = try app.placePledge(campaignID: campaign.id, request: request, scope: "test",
                                        at: sunday.adding(seconds: Int64(number * 60 + p))).runBlocking()
            }
        }
        // One closing after the cut-off: it goes to Monday's.
        let lateDraft = try CampaignDraft(sku: skus[0][0], title: "Late", opensAt: sunday, closesAt: cutOff.adding(seconds: 600), threshold: 1,
                                          cap: nil, tiers: [PriceTier(minQuantity: 1, unitPrice: Money(minor: 1_000, currency: .cny))],
                                          depositPerUnit: Money(minor: 100, currency: .cny))
        let late = try app.createCampaign(lateDraft, publish: true, at: sunday).runBlocking()
        let lateRequest = try PledgeRequest(consumerID: "late", quantity: 3, leaderCode: "l1", idempotencyKey: "late")
        _ = try app.placePledge(campaignID: late.id, request: lateRequest, scope: "test", at: sunday.adding(seconds: 30)).runBlocking()
        return Day(api: api, supplierIDs: supplierIDs, skus: skus, campaignIDs: campaignIDs, lateCampaignID: late.id)
    }

    /// Runs the scheduler through the evening: every close at its deadline, then the cut-off.
    static func runEvening(_ day: Day) async throws {
        for minute in stride(from: 0, through: 200, by: 10) {
            day.api.clock.now = Timestamp(rfc3339: "2030-01-06T12:00:00Z")!.adding(seconds: Int64(minute * 60 + 1))
            await day.api.scheduler.runDueWork()
        }
        day.api.clock.now = cutOff.adding(seconds: 1)
        await day.api.scheduler.runDueWork()
    }

    @Test func aDayYieldsOneOrderPerSupplierAndDeliveryDayWhosePointsSumToTheHandOutLists() async throws {
        let day = try Self.day()
        let app = day.api.app
        try await Self.runEvening(day)
        for id in day.campaignIDs { #expect(try app.campaign(id: id).runBlocking().status == .succeeded) }
        let (orders, deliveries) = try app.purchaseOrders().runBlocking()
        #expect(orders.count == 5, "\(orders.map(\.number))")
        #expect(Set(orders.map(\.supplierID)) == Set(day.supplierIDs))
        let monday = OrderCycle.daily(minuteOfDay: 1410, utcOffsetMinutes: 480).day(of: Self.week)
        for order in orders {
            #expect(order.cutOffAt == Self.cutOff && order.deliveryDay == monday && order.campaignID == nil)
            #expect(order.memberCampaignIDs.count == 6, "\(order.number): \(order.memberCampaignIDs)")
            #expect(deliveries[order.id] != nil, "\(order.number) has its one outbox message")
            for line in order.lines {
                #expect(line.destinations.reduce(0) { $0 + $1.quantity } == line.confirmedQuantity, "\(order.number) \(line.sku)")
                #expect(Set(line.destinations.compactMap(\.leaderCode)).isSubset(of: Set(Self.points)))
            }
        }
        let subscriptionOrders = orders.filter { $0.subscriptionWeek == Self.week }
        #expect(Set(subscriptionOrders.map(\.supplierID)) == Set([day.supplierIDs[3], day.supplierIDs[4]]))

        // The next day's lists: per point and SKU, the pledges handed out there and the subscriptions
        // delivered there add up to the orders' breakdown.
        var ordered: [String: Int64] = [:], listed: [String: Int64] = [:]
        for order in orders {
            for line in order.lines {
                for destination in line.destinations { ordered["\(destination.leaderCode ?? "-")/\(line.sku)", default: 0] += destination.quantity }
            }
        }
        for (index, code) in Self.points.enumerated() {
            let leaderID = Int64(index + 1)
            let (_, entries) = try app.handoutList(leaderID: leaderID, collected: nil, readyBefore: nil, limit: 10_000).runBlocking()
            for entry in entries where entry.pledge.campaignID != day.lateCampaignID {
                let sku = try app.campaign(id: entry.pledge.campaignID).runBlocking().sku
                listed["\(code)/\(sku)", default: 0] += entry.pledge.liveQuantity
            }
        }
        for order in subscriptionOrders {
            for delivery in try day.api.app.snapshotBlocking({ try $0.subscriptionDeliveries(purchaseOrderID: order.id) }) {
                listed["\(delivery.subscription.leaderCode ?? "-")/\(delivery.sku)", default: 0] += delivery.quantity
            }
        }
        #expect(ordered == listed)

        // Never twice: the scheduler again sends nothing; the late close waits for Monday's cut-off.
        await day.api.scheduler.runDueWork()
        #expect(try app.purchaseOrders().runBlocking().0.count == 5)
        day.api.clock.now = Self.cutOff.adding(seconds: 700)
        await day.api.scheduler.runDueWork()
        let late = try #require(try day.api.app.snapshotBlocking { try $0.cycleMember(campaignID: day.lateCampaignID) })
        #expect(late.cutOffAt == Self.cutOff.adding(days: 1) && late.cutAt == nil)
        day.api.clock.now = Self.cutOff.adding(days: 1).adding(seconds: 1)
        await day.api.scheduler.runDueWork()
        let after = try app.purchaseOrders().runBlocking().0
        #expect(after.count == 6 && after.first?.memberCampaignIDs == [day.lateCampaignID])
        try day.api.expectLedgerConsistent()
    }

    @Test func roundingIsDecidedOnceForTheDayNotPerCampaign() async throws {
        let day = try Self.day()
        try await Self.runEvening(day)
        let (orders, _) = try day.api.app.purchaseOrders().runBlocking()
        for order in orders {
            for line in order.lines {
                let product = try day.api.app.products().runBlocking().first { $0.sku == line.sku }!
                // One rounding of the day's total, in whole cases: rounded up, less than a case of
                // surplus (six campaigns rounded one by one would leave up to six cases' worth).
                #expect(line.orderQuantity % product.casePack == 0, "\(order.number) \(line.sku)")
                if product.rounding == .up { #expect(line.roundingSurplus < product.casePack, "\(order.number) \(line.sku): \(line.roundingSurplus)") }
                // Rounded down: never more cases than the day's pledges filled before the cut.
                if product.rounding == .down {
                    let refunded = try day.api.app.snapshotBlocking { db in
                        try order.memberCampaignIDs.filter { try db.requireCampaign(id: $0).sku == line.sku }.reduce(Int64(0)) { sum, id in
                            try sum + db.pledges(campaignID: id, status: .refunded).reduce(0) { $0 + $1.quantity }
                        }
                    }
                    let before = line.confirmedQuantity + refunded
                    #expect(line.orderQuantity == before / product.casePack * product.casePack, "\(order.number) \(line.sku): \(before)")
                }
            }
        }
        try day.api.expectLedgerConsistent()
    }

    /// A short answer of a day order refunds the last-arrived pledge lines across its
    /// campaigns, then subscription deliveries; a short receipt and an over-delivery, over HTTP.
    @Test func shortAnswersAndDeliveriesOfADayOrderRefundAcrossItsCampaignsAndSubscriptions() async throws {
        let day = try Self.day()
        try await Self.runEvening(day)
        let api = day.api
        let (orders, _) = try api.app.purchaseOrders().runBlocking()
        let order = try #require(orders.first { $0.supplierID == day.supplierIDs[4] })
        let line = try #require(order.lines.first { $0.sku == day.skus[4][0] })
        let subscribed: Int64 = 2 + 3 + 4
        // The supplier accepts 4 fewer than the subscriptions hold: every pledge line of it and a delivery go.
        let supplierToken = try api.token(for: Principal(role: .supplier, supplierID: order.supplierID))
        let others = order.lines.filter { $0.sku != line.sku }.map { #"{"sku":"\#($0.sku)","accepted_quantity":\#($0.orderQuantity)}"# }
        let accepted = subscribed - 4 - line.fromStock
        let answer = await api.call("POST", "/v1/purchase-orders/\(order.id)/acknowledgement", token: supplierToken, body: """
            {"decision":"partially_accepted","promised_ship_date":"2030-01-07","reason":"short of stock","lines":[{"sku":"\(line.sku)","accepted_quantity":\(accepted)}\(others.isEmpty ? "" : "," + others.joined(separator: ","))]}
            """)
        #expect(answer.status == 200, "\(answer.text)")
        let events = await api.call("GET", "/v1/events?types=subscription.delivery_short,pledge.refunded,pledge.lines_refunded", token: api.admin)
        let types = (events.json?["events"]?.arrayValue ?? []).compactMap { $0["type"]?.stringValue }
        #expect(types.filter { $0 == "subscription.delivery_short" }.count == 1, "\(types)")
        #expect(types.contains("pledge.refunded"))
        let short = (events.json?["events"]?.arrayValue ?? []).first { $0["type"]?.stringValue == "subscription.delivery_short" }
        // The latest subscription (4 units) is the one left short; its period's price is owed back.
        #expect(short?["data"]?["short_delivery"]?["quantity"] == .int(4))
        #expect(short?["data"]?["short_delivery"]?["refund_minor"] == .int(3_600))
        for campaignID in order.memberCampaignIDs {
            let campaign = try api.app.campaign(id: campaignID).runBlocking()
            guard campaign.sku == line.sku else { continue }
            let pledges = await api.call("GET", "/v1/campaigns/\(campaignID)/pledges", token: api.admin).json?["pledges"]?.arrayValue ?? []
            #expect(pledges.allSatisfy { $0["status"]?.stringValue == "refunded" }, "campaign \(campaignID): \(pledges)")
        }

        // Another supplier's order: one unit short on its first line, two over on its last.
        let other = try #require(orders.first { $0.supplierID == day.supplierIDs[0] })
        let otherToken = try api.token(for: Principal(role: .supplier, supplierID: other.supplierID))
        let ok = await api.call("POST", "/v1/purchase-orders/\(other.id)/acknowledgement", token: otherToken, body: #"{"decision":"accepted","promised_ship_date":"2030-01-07"}"#)
        #expect(ok.status == 200, "\(ok.text)")
        let first = other.lines[0], last = other.lines[other.lines.count - 1]
        let shortBy = first.orderQuantity - first.confirmedQuantity + 1
        var receiptLines = [#"{"sku":"\#(first.sku)","received_quantity":\#(first.orderQuantity - shortBy)}"#]
        if last.sku != first.sku { receiptLines.append(#"{"sku":"\#(last.sku)","received_quantity":\#(last.orderQuantity + 2)}"#) }
        let receipt = await api.call("POST", "/v1/purchase-orders/\(other.id)/receipts", token: api.admin,
                                     body: #"{"lines":[\#(receiptLines.joined(separator: ","))],"note":"evening truck"}"#)
        #expect(receipt.status == 201, "\(receipt.text)")
        let received = try api.app.purchaseOrder(id: other.id).runBlocking().0
        let firstLine = try #require(received.lines.first { $0.sku == first.sku })
        // What arrived is held by the standing lines, at most: the last-arrived that did not arrive are refunded.
        #expect(firstLine.destinations.reduce(0) { $0 + $1.quantity } <= firstLine.orderQuantity - shortBy)
        let stock = try api.app.stockLevels().runBlocking()
        if last.sku != first.sku { #expect(stock.first { $0.sku == last.sku }.map { $0.quantity >= 2 } == true, "\(stock)") }
        try api.expectLedgerConsistent()
    }

    /// Balances are paid between the close and the cut-off: a paid pledge is ordered (and a
    /// rounding cut reaches it like any other), a defaulted one is not.
    /// Eggs in cases of 6 from a supplier cutting off at 23:30 UTC+8; a campaign with pledges of
    /// `quantities`, closed (the balance due 10 minutes later).
    struct ClosedCampaign {
        var api: InProcessAPI, product: Product, campaign: Campaign, pledges: [Pledge], closedAt: Timestamp
        var app: TuanApplication { api.app }
    }

    static func closedCampaign(_ quantities: [Int64]) throws -> ClosedCampaign {
        let api = try InProcessAPI(now: sunday)
        let seed = Seed(api.app, at: sunday.adding(seconds: -3_600))
        let product = try seed.product(sku: "eggs", unitCost: 300, casePack: 6, minimumOrderQuantity: 0)
        _ = try api.app.setOrderCycle(supplierID: product.supplierID, .daily(minuteOfDay: 1410, utcOffsetMinutes: 480)).runBlocking()
        let campaign = try seed.campaign(sku: "eggs", existingProduct: true, threshold: 1, cap: nil, deposit: 100, price: 1_000,
                                         closesIn: 3_600 * 2, balanceDueIn: 600)
        let pledges = try quantities.enumerated().map { index, quantity in try seed.pledge(campaign.id, "c\(index)", quantity).pledge }
        let closedAt = campaign.closesAt.adding(seconds: 1)
        _ = try api.app.closeCampaign(id: campaign.id, reason: .closed, at: closedAt).runBlocking()
        return ClosedCampaign(api: api, product: product, campaign: campaign, pledges: pledges, closedAt: closedAt)
    }

    @Test func pledgesPaidAfterTheCloseAreOrderedAtTheCutOff() throws {
        let closed = try Self.closedCampaign([4, 3, 2])
        let (api, app, product, closedAt) = (closed.api, closed.app, closed.product, closed.closedAt)
        let (first, second, third) = (closed.pledges[0], closed.pledges[1], closed.pledges[2])
        _ = try app.payBalance(pledgeID: first.id, at: closedAt.adding(seconds: 60)).runBlocking()
        _ = try app.payBalance(pledgeID: second.id, at: closedAt.adding(seconds: 60)).runBlocking()
        _ = try app.defaultPledge(id: third.id, at: closedAt.adding(seconds: 700)).runBlocking()
        let orders = try app.cutOffSupplierOrders(supplierID: product.supplierID, cutOffAt: Self.cutOff, at: Self.cutOff.adding(seconds: 1)).runBlocking()
        let line = try #require(orders.first?.lines.first)
        #expect(orders.count == 1 && line.confirmedQuantity == 7 && line.orderQuantity == 12, "\(orders.map(\.json.serialized))")
        try api.expectLedgerConsistent()
    }

    /// A campaign whose every pledge defaulted before the cut-off has nothing to order: it is cut
    /// off without an order, and nothing stays due.
    @Test func aMemberWithNothingLeftIsCutOffWithoutAnOrder() throws {
        let closed = try Self.closedCampaign([4])
        let (api, app, product, campaign, pledge, closedAt) = (closed.api, closed.app, closed.product, closed.campaign, closed.pledges[0], closed.closedAt)
        _ = try app.defaultPledge(id: pledge.id, at: closedAt.adding(seconds: 700)).runBlocking()
        let orders = try app.cutOffSupplierOrders(supplierID: product.supplierID, cutOffAt: Self.cutOff, at: Self.cutOff.adding(seconds: 1)).runBlocking()
        #expect(orders.isEmpty)
        #expect(try app.dueCutOffs(at: Self.cutOff.adding(days: 2)).runBlocking().isEmpty)
        let member = try app.snapshotBlocking { try $0.cycleMember(campaignID: campaign.id) }
        #expect(member?.cutAt != nil && member?.purchaseOrderID == nil)
        try api.expectLedgerConsistent()
    }

    @Test func cutOffTimesFollowTheSuppliersClock() throws {
        let cycle = OrderCycle.daily(minuteOfDay: 23 * 60 + 30, utcOffsetMinutes: 480)
        // 22:59 local closes before tonight's cut-off; 23:30 exactly is late for it.
        #expect(cycle.nextCutOff(after: Timestamp(rfc3339: "2030-01-06T14:59:00Z")!) == Self.cutOff)
        #expect(cycle.nextCutOff(after: Self.cutOff) == Self.cutOff.adding(days: 1))
        // Just after local midnight (16:00 UTC) the next cut-off is that local day's 23:30.
        #expect(cycle.nextCutOff(after: Timestamp(rfc3339: "2030-01-06T16:00:00Z")!) == Self.cutOff.adding(days: 1))
        #expect(OrderCycle.immediate.nextCutOff(after: Self.cutOff) == nil)
        // A subscription week is cut off the evening before its delivery day.
        #expect(cycle.cutOff(forDeliveryAt: Self.week, after: Self.sunday.adding(days: -3)) == Self.cutOff)
        // The bounds themselves are cycles; one past them is refused.
        #expect((try? OrderCycle(minuteOfDay: 1439, utcOffsetMinutes: 840)) == .daily(minuteOfDay: 1439, utcOffsetMinutes: 840))
        #expect((try? OrderCycle(minuteOfDay: 0, utcOffsetMinutes: -840)) == .daily(minuteOfDay: 0, utcOffsetMinutes: -840))
        #expect(throws: DomainError.self) { try OrderCycle(minuteOfDay: 1440, utcOffsetMinutes: 0) }
        #expect(throws: DomainError.self) { try OrderCycle(minuteOfDay: 0, utcOffsetMinutes: -841) }
        #expect(throws: DomainError.self) { try OrderCycle(minuteOfDay: 0, utcOffsetMinutes: 900) }
        #expect(OrderCycle.minuteOfDay(parsing: "23:30") == 1410 && OrderCycle.minuteOfDay(parsing: "24:00") == nil
                && OrderCycle.minuteOfDay(parsing: "7:30") == nil)
    }

    @Test func theSupplierCycleRouteSetsAndRefuses() async throws {
        let api = try InProcessAPI()
        let created = await api.call("POST", "/v1/suppliers", token: api.admin, body: #"{"name":"Veg","order_cut_off":"23:30"}"#)
        #expect(created.status == 201 && created.json?["order_cut_off"] == "23:30" && created.json?["utc_offset_minutes"] == .int(480))
        let id = created.json?["id"]?.intValue ?? 0
        let immediate = await api.call("PATCH", "/v1/suppliers/\(id)", token: api.admin, body: #"{"order_cut_off":"immediate"}"#)
        #expect(immediate.status == 200 && immediate.json?["order_cut_off"] == "immediate")
        for bad in [#"{"order_cut_off":"25:00"}"#, #"{"order_cut_off":"soon"}"#, #"{"utc_offset_minutes":99999}"#, #"{"name":"x"}"#] {
            let refused = await api.call("PATCH", "/v1/suppliers/\(id)", token: api.admin, body: bad)
            #expect(refused.status == 422 || refused.status == 400, "\(bad): \(refused.text)")
        }
        #expect(await api.call("PATCH", "/v1/suppliers/999", token: api.admin, body: #"{"order_cut_off":"22:00"}"#).status == 404)
        for token in [api.storefront, api.planner] {
            #expect(await api.call("PATCH", "/v1/suppliers/\(id)", token: token, body: #"{"order_cut_off":"22:00"}"#).status == 403)
        }
    }
}

/// Units and money through a day of cut-offs, over seeded days: what was pledged is ordered
/// (less the surplus, from stock or the order) or refunded by the rounding; what arrives is held,
/// stocked or refunded short; the ledger balances, stock included.
@Suite struct SupplierDayPropertyTests {
    @Test(arguments: [UInt64(1), 7, 42, 2027])
    func unitsAreConservedThroughTheCutOffAndTheReceipts(seed: UInt64) async throws {
        let day = try SupplierDaySpecs.day(seed: seed)
        try await SupplierDaySpecs.runEvening(day)
        let api = day.api
        var random = SeededGenerator(seed: seed)
        let (orders, _) = try api.app.purchaseOrders().runBlocking()
        for order in orders {
            let deliveries = try api.app.snapshotBlocking { try $0.subscriptionDeliveries(purchaseOrderID: order.id) }
            for line in order.lines {
                // What the order confirms is exactly what stands of its campaigns' pledges and its
                // subscription deliveries; the order and stock cover it, with the surplus shown.
                let (kept, refunded, pledged) = try api.app.snapshotBlocking { db -> (Int64, Int64, Int64) in
                    var kept: Int64 = 0, refunded: Int64 = 0, pledged: Int64 = 0
                    for id in order.memberCampaignIDs where try db.requireCampaign(id: id).sku == line.sku {
                        // The campaign's own counter, kept by every write: what was pledged.
                        pledged += try db.requireCampaign(id: id).pledgedQuantity
                        for pledge in try db.pledges(campaignID: id, status: nil) {
                            if pledge.status == .refunded { refunded += pledge.quantity } else { kept += pledge.quantity }
                        }
                    }
                    return (kept, refunded, pledged)
                }
                let subscribed = deliveries.filter { $0.sku == line.sku }.reduce(Int64(0)) { $0 + $1.quantity }
                #expect(line.confirmedQuantity == kept + subscribed, "\(order.number) \(line.sku)")
                #expect(line.orderQuantity + line.fromStock - line.roundingSurplus == line.confirmedQuantity)
                // Every pledge tipped (threshold 1), so only the rounding refunded: pledged = ordered
                // (with stock) − surplus + refunded.
                #expect(pledged + subscribed == line.orderQuantity + line.fromStock - line.roundingSurplus + refunded, "\(order.number) \(line.sku)")
            }
            let supplier = try api.token(for: Principal(role: .supplier, supplierID: order.supplierID))
            let accepted = await api.call("POST", "/v1/purchase-orders/\(order.id)/acknowledgement", token: supplier,
                                          body: #"{"decision":"accepted","promised_ship_date":"2030-01-07"}"#)
            #expect(accepted.status == 200, "\(accepted.text)")
            // A random receipt per line: short, exact or over.
            let receipt = order.lines.map { line in
                #"{"sku":"\#(line.sku)","received_quantity":\#(max(0, line.orderQuantity + Int64.random(in: -8...4, using: &random)))}"#
            }
            let stockBefore = Dictionary(try api.app.stockLevels().runBlocking().map { ($0.sku, $0.quantity) }, uniquingKeysWith: +)
            let received = await api.call("POST", "/v1/purchase-orders/\(order.id)/receipts", token: api.admin,
                                          body: #"{"lines":[\#(receipt.joined(separator: ","))]}"#)
            #expect(received.status == 201, "\(received.text)")
            let after = try api.app.purchaseOrder(id: order.id).runBlocking().0
            let stockAfter = Dictionary(try api.app.stockLevels().runBlocking().map { ($0.sku, $0.quantity) }, uniquingKeysWith: +)
            let standing = try api.app.snapshotBlocking { try $0.subscriptionDeliveries(purchaseOrderID: order.id) }.filter { $0.shortAt == nil }
            for line in after.lines {
                // Received (with what stock served) = held by what stands + put in stock.
                let held = line.destinations.reduce(Int64(0)) { $0 + $1.quantity }
                let stocked = (stockAfter[line.sku] ?? 0) - (stockBefore[line.sku] ?? 0)
                #expect((line.receivedQuantity ?? 0) + line.fromStock == held + stocked, "\(after.number) \(line.sku)")
                let subscribed = standing.filter { $0.sku == line.sku }.reduce(Int64(0)) { $0 + $1.quantity }
                #expect(subscribed <= held)
            }
        }
        try api.expectLedgerConsistent()
    }
}
