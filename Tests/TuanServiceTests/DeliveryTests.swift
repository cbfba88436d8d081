import Foundation
import Testing
import TuanTesting
import TuanDelivery
import TuanDomain
import TuanHTTP
@testable import TuanSQLite
import TuanStore
@testable import TuanService

/// A supplier's real receiver (`SupplierInbox` on its own HTTP server, port 0), playing faults first.
final class InboxRig: @unchecked Sendable {
    let directory: URL
    let inbox: SupplierInbox
    let server: HTTPServer
    let port: Int
    let secret: String

    init(faults: [SupplierInbox.Fault] = [], stall: Duration = .seconds(2), secret: String = WebhookSecret.generate()) throws {
        self.secret = secret
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tuan-inbox-\(UUID().uuidString)")
        inbox = try SupplierInbox(secret: secret, directory: directory.path, faults: faults, timeoutDelay: stall)
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        server = try HTTPServer(configuration: configuration, responder: inbox)
        port = try server.start()
    }

    var url: String { "http://127.0.0.1:\(port)/orders" }

    func stop() {
        server.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Fast schedules for tests: every retry immediately, one-second timeouts.
func quickDelivery(retries: Int = 5) -> DeliveryWorker.Configuration {
    DeliveryWorker.Configuration(threads: 2, policy: RetryPolicy(delays: Array(repeating: 0, count: retries), jitter: 0),
                                 maximumIdle: 0.05, leaseSeconds: 60, connectTimeout: 1, totalTimeout: 1, allowPrivateAddresses: true)
}

/// Waits (polling) until `condition` holds or `seconds` pass.
func eventually(_ seconds: Double = 15, _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

@Suite(.serialized) struct DeliveryTests {
    /// A supplier pointed at `endpoint`, a product, and a campaign that has tipped with three
    /// pledges (12 at Xuhui, 15 via leader wang, 8 more at Xuhui); returns (supplier, campaign).
    func seedTippedCampaign(_ s: LiveService, endpoint: String?, secret: String) async throws -> (Int64, Int64) {
        var supplierBody = #"{"name":"Green Valley","webhook_secret":"\#(secret)""#
        if let endpoint { supplierBody += #","endpoint_url":"\#(endpoint)""# }
        let supplier = await s.call("POST", "/v1/suppliers", token: s.admin, body: supplierBody + "}")
        #expect(supplier.status == 201)
        let supplierID = try #require(supplier.json?["id"].flatMap { if case .int(let v) = $0 { v } else { nil } })
        let product = await s.call("POST", "/v1/products", token: s.admin, body: """
            {"sku":"tea-500g","supplier_id":\(supplierID),"name":"Longjing 500g","unit_cost_minor":4200,"case_pack":12,"minimum_order_quantity":24}
            """)
        #expect(product.status == 201)
        let campaign = await s.call("POST", "/v1/campaigns", token: s.admin, body: """
            {"sku":"tea-500g","title":"Spring","closes_at":"2099-01-01T00:00:00Z","threshold":20,"cap":100,
             "tiers":[{"min_quantity":1,"unit_price_minor":9900},{"min_quantity":30,"unit_price_minor":8900}],"deposit_per_unit_minor":1000}
            """)
        #expect(campaign.status == 201)
        let leader = await s.call("POST", "/v1/leaders", token: s.admin,
                                  body: #"{"code":"wang","name":"Wang","pickup_point":"Jing'an","commission_bps":300}"#)
        #expect(leader.status == 201)
        let campaignID = try #require(campaign.json?["id"].flatMap { if case .int(let v) = $0 { v } else { nil } })
        for (key, body) in [("p1", #"{"consumer_id":"alice","quantity":12,"pickup_point":"Xuhui"}"#),
                            ("p2", #"{"consumer_id":"bob","quantity":15,"leader_code":"wang"}"#),
                            ("p3", #"{"consumer_id":"carol","quantity":8,"pickup_point":"Xuhui"}"#)] {
            let r = await s.call("POST", "/v1/campaigns/\(campaignID)/pledges", token: s.storefront, body: body, headers: ["Idempotency-Key": key])
            #expect(r.status == 201)
        }
        return (supplierID, campaignID)
    }

    func deliveryState(_ s: LiveService, order: Int64) throws -> DeliveryStatus? {
        try s.store.readSync { db in try db.deliveryStatus(purchaseOrderID: order) }
    }

    @Test func closeCreatesAnOrderThatReachesTheSupplierOnceDespiteFailures() async throws {
        // 500, then a stall past the sender's timeout (the inbox still stores that one), then a
        // dropped connection: the order must end stored exactly once, correctly signed.
        let inbox = try InboxRig(faults: [.status(500), .timeout, .drop])
        defer { inbox.stop() }
        let s = try LiveService(delivery: quickDelivery())
        defer { s.stop() }
        let (supplierID, campaignID) = try await seedTippedCampaign(s, endpoint: inbox.url, secret: inbox.secret)
        let closed = await s.call("POST", "/v1/campaigns/\(campaignID)/close", token: s.admin)
        #expect(closed.status == 200)
        let orderID = try #require(closed.json?["purchase_order"]?["id"].flatMap { if case .int(let v) = $0 { v } else { nil } })

        #expect(try await eventually { try self.deliveryState(s, order: orderID)?.state == .delivered })
        // Let the stalled attempt finish too, then count what the supplier holds.
        try await Task.sleep(for: .seconds(2.5))
        let stored = try inbox.inbox.storedOrders()
        #expect(stored.count == 1)
        let delivery = try #require(try deliveryState(s, order: orderID))
        #expect(stored.keys.first == delivery.webhookID)
        #expect(delivery.attempts.count >= 4)
        #expect(delivery.attempts.first?.statusCode == 500)
        #expect(delivery.attempts.last?.outcome == .delivered)
        #expect(delivery.attempts.dropLast().allSatisfy { $0.outcome == .retry })
        let events = await s.call("GET", "/v1/events?types=purchase_order.*", token: s.storefront).json?["events"]?.arrayValue ?? []
        #expect(events.compactMap { $0["type"]?.stringValue } == ["purchase_order.created", "purchase_order.delivered"])
        #expect(events.allSatisfy { $0["data"]?["id"] == .int(orderID) && $0["campaign_id"] == .int(campaignID) })

        // What arrived is the order: one line of 36 (35 confirmed + 1 surplus) with its destinations.
        let payload = try JSONParser.parse(try #require(stored.values.first))
        #expect(payload["type"] == "purchase_order.created")
        let line = payload["data"]?["lines"]?.arrayValue?.first
        #expect(line?["order_quantity"] == .int(36) && line?["confirmed_quantity"] == .int(35) && line?["rounding_surplus"] == .int(1))
        let destinations = line?["destinations"]?.arrayValue ?? []
        #expect(destinations.compactMap { if case .int(let q)? = $0["quantity"] { q } else { nil } }.reduce(0, +) == 35)
        #expect(payload["data"]?["supplier_id"] == .int(supplierID))

        // The API shows the order, its attempts, and the CSV.
        let shown = await s.call("GET", "/v1/purchase-orders/\(orderID)", token: s.planner)
        #expect(shown.status == 200 && shown.json?["delivery"]?["state"] == "delivered")
        let csv = await s.call("GET", "/v1/purchase-orders/\(orderID).csv", token: s.planner)
        #expect(csv.status == 200 && csv.headers["content-type"]?.hasPrefix("text/csv") == true)
        #expect(csv.text.split(separator: "\r\n").count == 3)   // header + two destinations
        let csvByAccept = await s.call("GET", "/v1/purchase-orders", token: s.admin, headers: ["Accept": "text/csv"])
        #expect(csvByAccept.text.hasPrefix("po_number,"))
    }

    @Test func forgedAndStaleDeliveriesAreRefused() async throws {
        let inbox = try InboxRig()
        defer { inbox.stop() }
        let body = #"{"type":"purchase_order.created","data":{}}"#
        let now = Int64(Date().timeIntervalSince1970)
        func post(id: String, timestamp: Int64, signature: String) async -> Int {
            let port = inbox.port
            return await offPool {
                let text = "POST /orders HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/json\r\n"
                    + "webhook-id: \(id)\r\nwebhook-timestamp: \(timestamp)\r\nwebhook-signature: \(signature)\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
                return LoopbackHTTP.exchange(port: port, request: Array(text.utf8))?.status ?? 0
            }
        }
        let good = try StandardWebhooks.sign(id: "msg_ok", timestamp: now, body: Array(body.utf8), secret: inbox.secret)
        let forged = try StandardWebhooks.sign(id: "msg_ok", timestamp: now, body: Array(body.utf8), secret: WebhookSecret.generate())
        let stale = try StandardWebhooks.sign(id: "msg_old", timestamp: now - 3_600, body: Array(body.utf8), secret: inbox.secret)
        #expect(await post(id: "msg_ok", timestamp: now, signature: forged) == 401)
        #expect(await post(id: "msg_old", timestamp: now - 3_600, signature: stale) == 401)
        #expect(await post(id: "msg_ok", timestamp: now + 1, signature: good) == 401)   // signature covers the timestamp
        #expect(await post(id: "msg_ok", timestamp: now, signature: good) == 200)
        #expect(await post(id: "msg_ok", timestamp: now, signature: good) == 200)       // a duplicate, not stored again
        #expect(try inbox.inbox.storedOrders().count == 1)
        #expect(inbox.inbox.counts.refused == 3 && inbox.inbox.counts.duplicates == 1)
    }

    @Test func deadLettersThenRedeliversAndGoneDisablesTheEndpoint() async throws {
        let inbox = try InboxRig(faults: [.status(500), .status(503), .status(500), .status(410)])
        defer { inbox.stop() }
        let s = try LiveService(delivery: quickDelivery(retries: 2))   // three attempts in all
        defer { s.stop() }
        let (supplierID, campaignID) = try await seedTippedCampaign(s, endpoint: inbox.url, secret: inbox.secret)
        let closed = await s.call("POST", "/v1/campaigns/\(campaignID)/close", token: s.admin)
        let orderID = try #require(closed.json?["purchase_order"]?["id"].flatMap { if case .int(let v) = $0 { v } else { nil } })
        #expect(try await eventually { try self.deliveryState(s, order: orderID)?.state == .dead })
        #expect(try deliveryState(s, order: orderID)?.attempts.map(\.outcome) == [.retry, .retry, .dead])
        let events = await s.call("GET", "/v1/events?types=purchase_order.dead_lettered", token: s.storefront).json?["events"]?.arrayValue
        #expect(events?.count == 1 && events?.first?["data"]?["id"] == .int(orderID))
        let dead = await s.call("GET", "/v1/purchase-orders?delivery=dead", token: s.planner)
        #expect(dead.json?["purchase_orders"]?.arrayValue?.count == 1)

        // Redeliver: the supplier now answers 410 Gone, which disables its endpoint and holds the order.
        #expect(await s.call("POST", "/v1/purchase-orders/\(orderID)/redeliver", token: s.planner).status == 403)
        #expect(await s.call("POST", "/v1/purchase-orders/\(orderID)/redeliver", token: s.admin).status == 202)
        #expect(try await eventually { try self.deliveryState(s, order: orderID)?.state == .held })
        #expect(try s.store.readSync { try $0.requireSupplier(id: supplierID).endpointDisabled })

        // Redeliver again: the endpoint is re-enabled and the order arrives.
        #expect(await s.call("POST", "/v1/purchase-orders/\(orderID)/redeliver", token: s.admin).status == 202)
        #expect(try await eventually { try self.deliveryState(s, order: orderID)?.state == .delivered })
        #expect(try inbox.inbox.storedOrders().count == 1)
        #expect(try !s.store.readSync { try $0.requireSupplier(id: supplierID).endpointDisabled })
    }

    @Test func aRestartedServiceResumesDeliveries() async throws {
        let inbox = try InboxRig()
        defer { inbox.stop() }
        // First life: no delivery threads at all (as if it died right after the close committed).
        let first = try LiveService(delivery: nil)
        let (_, campaignID) = try await seedTippedCampaign(first, endpoint: inbox.url, secret: inbox.secret)
        let closed = await first.call("POST", "/v1/campaigns/\(campaignID)/close", token: first.admin)
        let orderID = try #require(closed.json?["purchase_order"]?["id"].flatMap { if case .int(let v) = $0 { v } else { nil } })
        // A worker claimed it and died mid-send: its lease is still running when the service comes back.
        let now = Clock.now(), lease: Int64 = 4
        let claimed = try first.store.writeSync { db in try db.claimDueDeliveries(at: now, limit: 10, leaseSeconds: lease) }
        let claimedAt = ContinuousClock.now
        #expect(claimed.map(\.purchaseOrderID) == [orderID])
        first.stop(keepFiles: true)

        let second = try LiveService(directory: first.directory, delivery: quickDelivery())
        defer { second.stop() }
        try await Task.sleep(for: .seconds(1))
        // The lease holds it back… (checked while the lease surely runs: a loaded machine can take
        // longer than the lease to get here, and then the order is rightly on its way).
        if ContinuousClock.now - claimedAt < .seconds(lease - 1) { #expect(try inbox.inbox.storedOrders().isEmpty) }
        #expect(try await eventually { try self.deliveryState(second, order: orderID)?.state == .delivered })   // …then it goes
        #expect(try inbox.inbox.storedOrders().count == 1)
        // Delivered means never again: a third life sends nothing.
        let attempts = try deliveryState(second, order: orderID)?.attempts.count
        second.service.delivery?.wake()
        try await Task.sleep(for: .milliseconds(300))
        #expect(try deliveryState(second, order: orderID)?.attempts.count == attempts)
        #expect(inbox.inbox.counts.received == 1)
    }
}

/// The outbound address policy at connect time, with real libcurl to a real local receiver:
/// the check runs on the address the name resolved to, so a name that points at loopback (or
/// is re-pointed there after validation) is refused unless private addresses are allowed.
@Suite struct OutboundAddressTests {
    @Test func loopbackIsRefusedAtConnectTimeUnlessAllowed() async throws {
        let rig = try InboxRig()
        defer { rig.stop() }
        for url in [rig.url, "http://localhost:\(rig.port)/orders"] {
            let refused = await offPool { CurlClient(connectTimeout: 1, totalTimeout: 2).post(url: url, headers: [], body: Array("{}".utf8)) }
            #expect(refused.statusCode == nil && refused.error != nil, "\(url)")
        }
        #expect(rig.inbox.counts.received == 0)
        let allowed = await offPool {
            CurlClient(connectTimeout: 1, totalTimeout: 2, allowPrivateAddresses: true).post(url: rig.url, headers: [], body: Array("{}".utf8))
        }
        #expect(allowed.statusCode != nil)
        #expect(rig.inbox.counts.received == 1)
    }

    /// Link-local and unspecified addresses are refused even with private addresses allowed.
    @Test func linkLocalAndUnspecifiedAreNeverConnected() async {
        for url in ["http://169.254.169.254/latest/meta-data", "http://0.0.0.0:9/", "http://[::ffff:169.254.1.1]/"] {
            let response = await offPool {
                CurlClient(connectTimeout: 1, totalTimeout: 2, allowPrivateAddresses: true).post(url: url, headers: [], body: [])
            }
            #expect(response.statusCode == nil && response.error != nil, "\(url)")
        }
        #expect(throws: DomainError.self) { try OutboundURL.validate("http://169.254.169.254/", field: "u") }
        #expect(throws: Never.self) { try OutboundURL.validate("https://orders.example.com:8443/tuan?x=1", field: "u") }
    }
}
