import Foundation
import Testing
import TuanTesting
import TuanDelivery
import TuanDomain
import TuanHTTP
@testable import TuanService

/// Events pushed to a storefront's endpoint over real HTTP, through libcurl, to a receiver that
/// verifies every signature and fails, stalls and drops the connection first.
@Suite(.serialized) struct EventWebhookTests {
    func register(_ s: LiveService, url: String, secret: String, types: String = #"["*"]"#, after: Int64? = 0) async throws -> Int64 {
        let body = #"{"url":"\#(url)","event_types":\#(types),"secret":"\#(secret)""# + (after.map { #","after_seq":\#($0)"# } ?? "") + "}"
        let created = await s.call("POST", "/v1/webhook-endpoints", token: s.storefront, body: body)
        #expect(created.status == 201, "\(created.text)")
        #expect(created.json?["secret"]?.stringValue == secret)
        return try #require(created.json?["id"]?.intValue)
    }

    /// Two campaigns: one tips and succeeds, the other fails; a refund is paid out.
    func storefrontDay(_ s: LiveService) async throws -> (Int64, Int64) {
        _ = await s.call("POST", "/v1/suppliers", token: s.admin, body: #"{"name":"Farm"}"#)
        _ = await s.call("POST", "/v1/products", token: s.admin,
                         body: #"{"sku":"tea","supplier_id":1,"name":"Tea","unit_cost_minor":400,"case_pack":6}"#)
        func campaign(_ threshold: Int) async throws -> Int64 {
            let created = await s.call("POST", "/v1/campaigns", token: s.admin, body: """
                {"sku":"tea","title":"Tea","closes_at":"2099-01-01T00:00:00Z","threshold":\(threshold),"deposit_per_unit_minor":100,
                 "tiers":[{"min_quantity":1,"unit_price_minor":1000}]}
                """)
            return try #require(created.json?["id"]?.intValue)
        }
        let (wins, fails) = (try await campaign(4), try await campaign(100))
        for n in 0..<6 {
            for id in [wins, fails] {
                let r = await s.call("POST", "/v1/campaigns/\(id)/pledges", token: s.storefront,
                                     body: #"{"consumer_id":"c\#(n)","quantity":1}"#, headers: ["Idempotency-Key": "\(id)-\(n)"])
                #expect(r.status == 201)
            }
        }
        for id in [wins, fails] { #expect(await s.call("POST", "/v1/campaigns/\(id)/close", token: s.admin).status == 200) }
        let refund = try #require(await s.call("GET", "/v1/refunds?status=due", token: s.storefront).json?["refunds"]?[0]?["id"]?.intValue)
        #expect(await s.call("POST", "/v1/refunds/\(refund)/complete", token: s.storefront, body: #"{"reference":"wx-1"}"#).status == 200)
        return (wins, fails)
    }

    func pulled(_ s: LiveService) async -> [JSONValue] {
        await s.call("GET", "/v1/events?after=0&limit=1000", token: s.storefront).json?["events"]?.arrayValue ?? []
    }

    func endpoint(_ s: LiveService, _ id: Int64) async -> JSONValue? {
        await s.call("GET", "/v1/webhook-endpoints/\(id)", token: s.storefront).json
    }

    @Test func aStorefrontGetsEveryEventOnceInOrderPerCampaignAsPulled() async throws {
        let inbox = try InboxRig(faults: [.status(500), .timeout, .drop, .status(503), .status(429), .drop])
        defer { inbox.stop() }
        let s = try LiveService(delivery: quickDelivery(retries: 8))
        defer { s.stop() }
        let endpointID = try await register(s, url: inbox.url, secret: inbox.secret)
        _ = try await storefrontDay(s)
        let events = await pulled(s)
        #expect(events.count > 30)
        #expect(try await eventually(30) {
            let shown = await self.endpoint(s, endpointID)
            return shown?["delivered_count"]?.intValue == Int64(events.count) && shown?["queued_count"] == 0
        })
        try await Task.sleep(for: .seconds(2.5))   // the stalled attempt stores its copy too
        let stored = try inbox.inbox.storedOrders()
        // Exactly once per id (the receiver dedupes by webhook-id), and the same items as pulled.
        #expect(Set(stored.keys) == Set(events.compactMap { $0["id"]?.stringValue }))
        for event in events {
            let id = try #require(event["id"]?.stringValue)
            #expect(try stored[id].map { try JSONParser.parse($0) } == event, "\(id)")
        }
        #expect(inbox.inbox.counts.refused == 0 && inbox.inbox.counts.duplicates >= 1)
        // Each campaign's events arrived in sequence order.
        let campaignOf = Dictionary(uniqueKeysWithValues: events.map { ($0["id"]!.stringValue!, $0["campaign_id"]?.intValue ?? 0) })
        var lastSeq: [Int64: Int64] = [:]
        for id in inbox.inbox.storedInOrder {
            let seq = Int64(id.dropFirst(4))!, campaign = campaignOf[id]!
            #expect(seq > lastSeq[campaign, default: 0], "\(id) after \(lastSeq[campaign, default: 0]) in campaign \(campaign)")
            lastSeq[campaign] = seq
        }
        #expect(inbox.inbox.counts.faults == 6)
    }

    @Test func filtersDeadLettersRedeliveryGoneAndRotation() async throws {
        // One stream (the failing campaign's): its campaign.failed dies after three attempts
        // (500, 500, 500), then the refund's completion meets 410 Gone, which disables the endpoint.
        let inbox = try InboxRig(faults: [.status(500), .status(500), .status(500), .status(410)])
        defer { inbox.stop() }
        let s = try LiveService(delivery: quickDelivery(retries: 2))
        defer { s.stop() }
        let id = try await register(s, url: inbox.url, secret: inbox.secret, types: #"["campaign.failed","refund.completed"]"#)
        let (_, fails) = try await storefrontDay(s)
        let wanted = await pulled(s).filter { $0["type"] == "campaign.failed" || $0["type"] == "refund.completed" }
        #expect(wanted.count == 2 && wanted.allSatisfy { $0["campaign_id"] == .int(fails) })
        #expect(try await eventually { await self.endpoint(s, id)?["disabled"] == .bool(true) })
        let shown = await endpoint(s, id)
        #expect(shown?["dead_letters"]?.arrayValue?.count == 1 && shown?["dead_letter_count"] == 1)
        #expect(shown?["dead_letters"]?[0]?["attempts"] == 3 && shown?["dead_letters"]?[0]?["event_id"] == wanted[0]["id"])
        #expect(shown?["queued_count"] == 1 && shown?["delivered_count"] == 0)
        // Redelivery re-enables it; both arrive once, the dead letter first.
        #expect(await s.call("POST", "/v1/webhook-endpoints/\(id)/redeliver", token: s.planner).status == 403)
        let redelivered = await s.call("POST", "/v1/webhook-endpoints/\(id)/redeliver", token: s.storefront)
        #expect(redelivered.status == 202 && redelivered.json?["requeued"] == 1)
        // (Arrival order is noted just after the file is stored: wait for the note.)
        #expect(await eventually(30) { inbox.inbox.storedInOrder.count == 2 })
        #expect(try inbox.inbox.storedOrders().count == 2)
        #expect(inbox.inbox.storedInOrder == wanted.compactMap { $0["id"]?.stringValue })

        // Rotation: the new secret is shown once, and both sign for a day.
        let rotated = await s.call("POST", "/v1/webhook-endpoints/\(id)/rotate-secret", token: s.storefront)
        let newSecret = try #require(rotated.json?["secret"]?.stringValue)
        #expect(newSecret != inbox.secret && rotated.json?["previous_secret_expires_at"] != .null)
        let listed = await s.call("GET", "/v1/webhook-endpoints", token: s.admin)
        #expect(listed.json?["webhook_endpoints"]?[0]?["secret"] == nil)
        #expect(await s.call("PATCH", "/v1/webhook-endpoints/\(id)", token: s.storefront,
                             body: #"{"event_types":["campaign.published"]}"#).status == 200)
        // The old receiver still verifies (the old secret signs beside the new one)…
        func publish() async -> Int {
            await s.call("POST", "/v1/campaigns", token: s.admin, body: """
                {"sku":"tea","title":"Late","closes_at":"2099-01-01T00:00:00Z","threshold":1,"tiers":[{"min_quantity":1,"unit_price_minor":900}]}
                """).status
        }
        let before = try inbox.inbox.storedOrders().count
        #expect(await publish() == 201)
        #expect(try await eventually { try inbox.inbox.storedOrders().count == before + 1 })
        // …and one that knows only the new secret does too.
        let newInbox = try InboxRig(secret: newSecret)
        defer { newInbox.stop() }
        #expect(await s.call("PATCH", "/v1/webhook-endpoints/\(id)", token: s.storefront, body: #"{"url":"\#(newInbox.url)"}"#).status == 200)
        #expect(await publish() == 201)
        #expect(try await eventually { try newInbox.inbox.storedOrders().count == 1 })
        #expect(newInbox.inbox.counts.refused == 0 && inbox.inbox.counts.refused == 0)
        // Bad input is refused with codes.
        for (body, code) in [(#"{"url":"ftp://x","event_types":["*"]}"#, "invalid_field"),
                             (#"{"url":"http://127.0.0.1:1/","event_types":["nope"]}"#, "unknown_event_type"),
                             (#"{"url":"http://127.0.0.1:1/","event_types":[]}"#, "invalid_field"),
                             (#"{"url":"http://127.0.0.1:1/","event_types":[\#(Array(repeating: #""*""#, count: 65).joined(separator: ","))]}"#, "invalid_field"),
                             (#"{"url":"http://127.0.0.1:1/","event_types":["*"],"secret":"short"}"#, "invalid_field"),
                             (#"{"url":"http://127.0.0.1:1/","event_types":["*"],"after_seq":999999}"#, "invalid_field"),
                             (#"{"url":"http://127.0.0.1:1/","event_types":["*"],"extra":1}"#, "invalid_field")] {
            let refused = await s.call("POST", "/v1/webhook-endpoints", token: s.storefront, body: body)
            #expect(refused.status == 422 && refused.json?["error"]?["code"]?.stringValue == code, "\(body): \(refused.text)")
        }
        #expect(await s.call("GET", "/v1/webhook-endpoints/999", token: s.storefront).status == 404)
        #expect(await s.call("POST", "/v1/webhook-endpoints", token: s.planner, body: #"{"url":"http://x/","event_types":["*"]}"#).status == 403)
    }
}
