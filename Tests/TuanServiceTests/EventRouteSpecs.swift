import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanTesting
@testable import TuanService

/// The event stream (`GET /v1/events`): every state change in commit order, resumable, each
/// with its resource as it was right after the change. One behaviour each.
@Suite struct EventRouteSpecs {
    func campaign(_ api: InProcessAPI, threshold: Int = 1_000, extra: String = "") async throws -> Int64 {
        try await api.catalog()
        return try await api.create("/v1/campaigns", """
            {"sku":"tea","title":"Tea","closes_at":"2099-01-01T00:00:00Z","threshold":\(threshold),"deposit_per_unit_minor":100,
             "tiers":[{"min_quantity":1,"unit_price_minor":1000}]\(extra)}
            """)
    }

    /// Every event after `after`, paged `limit` at a time through `next_after`.
    func pullAll(_ api: InProcessAPI, after: Int64 = 0, query: String = "", limit: Int = 1_000) async -> [JSONValue] {
        var events: [JSONValue] = [], cursor = after
        while true {
            let page = await api.call("GET", "/v1/events?after=\(cursor)&limit=\(limit)\(query)", token: api.storefront)
            #expect(page.status == 200, "\(page.text)")
            events += page.json?["events"]?.arrayValue ?? []
            guard let next = page.json?["next_after"]?.intValue, page.json?["has_more"] == .bool(true) else { break }
            cursor = next
        }
        return events
    }

    func types(_ events: [JSONValue]) -> [String] { events.compactMap { $0["type"]?.stringValue } }

    @Test func aFailedCampaignTellsOfEachRefundDueAndEachCompletion() async throws {
        let api = try InProcessAPI(), id = try await campaign(api)
        for n in 0..<50 { #expect(await api.pledge(id, #"{"consumer_id":"c\#(n)","quantity":2}"#).status == 201) }
        _ = await api.call("POST", "/v1/campaigns/\(id)/close", token: api.admin)
        let due = await api.call("GET", "/v1/refunds?status=due&limit=500", token: api.storefront).json?["refunds"]?.arrayValue ?? []
        for refund in due.prefix(30) {
            let completed = await api.call("POST", "/v1/refunds/\(refund["id"]!.intValue!)/complete", token: api.storefront,
                                           body: #"{"reference":"wx-\#(refund["id"]!.intValue!)"}"#)
            #expect(completed.status == 200)
        }
        let events = await pullAll(api, limit: 17)
        let counts = Dictionary(types(events).map { ($0, 1) }, uniquingKeysWith: +)
        #expect(counts == ["campaign.published": 1, "pledge.created": 50, "campaign.closing": 1, "refund.due": 50, "pledge.refunded": 50,
                           "campaign.failed": 1, "refund.completed": 30])
        // Each refund due names its own refund, as it was: due, with no reference (30 are completed by now).
        let dueEvents = events.filter { $0["type"] == "refund.due" }
        #expect(Set(dueEvents.compactMap { $0["data"]?["id"]?.intValue }) == Set(due.compactMap { $0["id"]?.intValue }))
        #expect(dueEvents.allSatisfy { $0["data"]?["status"] == "due" && $0["data"]?["reference"] == .null && $0["campaign_id"] == .int(id) })
        #expect(events.filter { $0["type"] == "refund.completed" }.allSatisfy { $0["data"]?["reference"]?.stringValue?.hasPrefix("wx-") == true })
        #expect(events.last?["type"] == "refund.completed" && events.first?["type"] == "campaign.published")
        // Commit order: sequence numbers rise by one, ids follow them.
        let seqs = events.compactMap { $0["seq"]?.intValue }
        #expect(seqs == Array(1...Int64(events.count)))
        #expect(events.allSatisfy { $0["id"]?.stringValue == "evt_\($0["seq"]!.intValue!)" })
        try api.expectLedgerConsistent()
    }

    @Test func pagesResumeFromAnyPointAndFilter() async throws {
        let api = try InProcessAPI(), id = try await campaign(api, threshold: 3)
        for n in 0..<5 { _ = await api.pledge(id, #"{"consumer_id":"c\#(n)","quantity":1}"#) }
        let all = await pullAll(api)
        #expect(types(all) == ["campaign.published", "pledge.created", "pledge.created", "pledge.created", "campaign.tipped",
                               "pledge.created", "pledge.created"])
        for limit in [1, 2, 3, 7] { #expect(await pullAll(api, limit: limit) == all) }
        #expect(await pullAll(api, after: 4) == Array(all.dropFirst(4)))
        #expect(await pullAll(api, after: 99) == [])
        #expect(types(await pullAll(api, query: "&types=campaign.*")) == ["campaign.published", "campaign.tipped"])
        #expect(await pullAll(api, query: "&types=pledge.created,campaign.tipped").count == 6)
        #expect(await pullAll(api, query: "&campaign_id=\(id + 1)") == [])
        let tipped = all[4]
        #expect(tipped["data"]?["status"] == "tipped" && tipped["data"]?["pledged_quantity"] == 3)
        for bad in ["after=-1", "after=x", "limit=0", "limit=1001", "campaign_id=-2"] {
            let refused = await api.call("GET", "/v1/events?\(bad)", token: api.storefront)
            #expect(refused.status == 422 && refused.json?["error"]?["code"] == "invalid_field", "\(bad)")
        }
        for bad in ["types=nope", "types=pledge.created,", "types=nope.*"] {
            let refused = await api.call("GET", "/v1/events?\(bad)", token: api.storefront)
            #expect(refused.status == 422 && refused.json?["error"]?["code"] == "unknown_event_type", "\(bad)")
        }
        #expect(await api.call("GET", "/v1/events", token: api.planner).status == 403)
        #expect(await api.call("GET", "/v1/events").status == 401)
        #expect(await api.call("GET", "/v1/events", token: api.admin).status == 200)
    }

    /// A close's chunk is one stored row of many events, its subjects kept as runs of ids:
    /// interleaved campaigns make runs of one, and paging must cut through rows anywhere.
    @Test func aCloseChunkOfInterleavedPledgesPagesLikeSingleEvents() async throws {
        let api = try InProcessAPI(), first = try await campaign(api)
        let second = try await api.create("/v1/campaigns", """
            {"sku":"rice","title":"Rice","closes_at":"2099-01-01T00:00:00Z","threshold":1000,"deposit_per_unit_minor":10,
             "tiers":[{"min_quantity":1,"unit_price_minor":100}]}
            """)
        var ids: [Int64: [Int64]] = [:]
        for n in 0..<9 {
            for id in [first, second] where n % 3 != 2 || id == first {
                ids[id, default: []].append(try #require(await api.pledge(id, #"{"consumer_id":"c\#(n)","quantity":1}"#).json?["id"]?.intValue))
            }
        }
        for id in [first, second] { _ = await api.call("POST", "/v1/campaigns/\(id)/close", token: api.admin) }
        let all = await pullAll(api)
        for limit in [1, 2, 5, 13] { #expect(await pullAll(api, limit: limit) == all, "limit \(limit)") }
        for after in [0, 3, 17, 21, 30] {
            #expect(await pullAll(api, after: Int64(after), limit: 4) == Array(all.drop { $0["seq"]!.intValue! <= after }), "after \(after)")
        }
        #expect(all.compactMap { $0["seq"]?.intValue } == Array(1...Int64(all.count)))
        for id in [first, second] {
            let refunded = all.filter { $0["type"] == "pledge.refunded" && $0["campaign_id"] == .int(id) }
            #expect(refunded.compactMap { $0["data"]?["id"]?.intValue } == ids[id], "campaign \(id)")
            #expect(refunded.allSatisfy { $0["data"]?["status"] == "refunded" && $0["data"]?["campaign_id"] == .int(id) })
        }
        // One event by its number, as pushed: from the middle of a row.
        let middle = all.first { $0["type"] == "pledge.refunded" && $0["campaign_id"] == .int(second) }!
        let one = await api.call("GET", "/v1/events?after=\(middle["seq"]!.intValue! - 1)&limit=1", token: api.storefront)
        #expect(one.json?["events"]?.arrayValue == [middle])
    }

    /// A pledge's and a refund's events keep no copy of them: the resource is restored from the
    /// row. It must be exactly what the API showed right after each change, later changes
    /// notwithstanding.
    @Test func restoredResourcesAreWhatTheAPIShowedAtTheTime() async throws {
        let api = try InProcessAPI(), id = try await campaign(api, threshold: 2)
        _ = try await api.create("/v1/leaders", #"{"code":"wang","name":"Wang","pickup_point":"Xuhui","commission_bps":500}"#)
        var shown: [String: JSONValue] = [:]
        let created = await api.pledge(id, #"{"consumer_id":"ann","quantity":3,"leader_code":"wang"}"#)
        let pledgeID = try #require(created.json?["id"]?.intValue)
        func pledgeNow() async -> JSONValue? { await api.call("GET", "/v1/pledges/\(pledgeID)", token: api.storefront).json }
        shown["pledge.created"] = await pledgeNow()
        api.clock.advance(seconds: 60)
        _ = await api.call("POST", "/v1/campaigns/\(id)/close", token: api.admin)
        shown["pledge.confirmed"] = await pledgeNow()
        api.clock.advance(seconds: 60)
        let owed = 3 * 1000 - 3 * 100
        let paid = await api.call("POST", "/v1/pledges/\(pledgeID)/payments", token: api.storefront,
                                  body: #"{"amount_minor":\#(owed),"reference":"wx-pay"}"#, headers: [("Idempotency-Key", "pay-1")])
        #expect(paid.status == 201, "\(paid.text)")
        shown["pledge.paid"] = await pledgeNow()
        // A second campaign fails: its refund is due, then completed.
        let other = try await api.create("/v1/campaigns", """
            {"sku":"rice","title":"Rice","closes_at":"2099-01-01T00:00:00Z","threshold":100,"deposit_per_unit_minor":50,
             "tiers":[{"min_quantity":1,"unit_price_minor":500}]}
            """)
        _ = await api.pledge(other, #"{"consumer_id":"bo","quantity":2}"#)
        api.clock.advance(seconds: 60)
        _ = await api.call("POST", "/v1/campaigns/\(other)/close", token: api.admin)
        let refund = try #require(await api.call("GET", "/v1/refunds?status=due", token: api.storefront).json?["refunds"]?[0])
        shown["refund.due"] = refund
        api.clock.advance(seconds: 60)
        shown["refund.completed"] = await api.call("POST", "/v1/refunds/\(refund["id"]!.intValue!)/complete", token: api.storefront,
                                                   body: #"{"reference":"wx-back"}"#).json
        let events = await pullAll(api)
        for (type, resource) in shown {
            let event = events.first { $0["type"]?.stringValue == type && $0["data"]?["id"] == resource["id"] }
            #expect(event?["data"] == resource, "\(type)")
        }
        #expect(shown["pledge.confirmed"]?["commission_minor"] == .int(3 * 1000 * 500 / 10_000))
        #expect(shown["pledge.created"]?["commission_minor"] == .null)
    }

    @Test func campaignsTeamsAndOrdersTellTheirChanges() async throws {
        let api = try InProcessAPI(), id = try await campaign(api, threshold: 2)
        let first = try #require(await api.pledge(id, #"{"consumer_id":"ann","quantity":1}"#).json?["id"]?.intValue)
        _ = await api.pledge(id, #"{"consumer_id":"bo","quantity":1}"#)
        _ = await api.call("POST", "/v1/pledges/\(first)/cancel", token: api.storefront)
        let edited = await api.call("PATCH", "/v1/campaigns/\(id)", token: api.admin, body: #"{"title":"Tea, spring picking"}"#)
        #expect(edited.status == 200)
        _ = await api.pledge(id, #"{"consumer_id":"cy","quantity":1}"#)
        _ = await api.call("POST", "/v1/campaigns/\(id)/close", token: api.admin)
        let events = await pullAll(api, query: "&types=campaign.*,purchase_order.*,pledge.cancelled")
        #expect(types(events) == ["campaign.published", "campaign.tipped", "campaign.untipped", "pledge.cancelled", "campaign.edited",
                                  "campaign.tipped", "campaign.closing", "campaign.succeeded", "purchase_order.created"])
        #expect(events[4]["data"]?["title"] == "Tea, spring picking")
        #expect(events.last?["data"]?["lines"]?[0]?["confirmed_quantity"] == 2)

        // A team-buy: opened, filled; another opened and left to expire.
        let teamBuy = try await api.create("/v1/campaigns", """
            {"sku":"rice","title":"Rice","closes_at":"2099-01-01T00:00:00Z","threshold":1,"deposit_per_unit_minor":0,
             "tiers":[{"min_quantity":1,"unit_price_minor":500}],"team":{"size":2,"window_seconds":3600,"unit_price_minor":400}}
            """)
        let opened = await api.pledge(teamBuy, #"{"consumer_id":"ann","quantity":1,"open_team":true}"#)
        let code = try #require(opened.json?["team"]?["code"]?.stringValue)
        _ = await api.pledge(teamBuy, #"{"consumer_id":"bo","quantity":1,"team_code":"\#(code)"}"#)
        _ = await api.pledge(teamBuy, #"{"consumer_id":"cy","quantity":1,"open_team":true}"#)
        api.clock.advance(seconds: 3_700)
        await api.scheduler.runDueWork()
        let teams = await pullAll(api, query: "&types=team.*")
        #expect(types(teams) == ["team.opened", "team.filled", "team.opened", "team.expired"])
        #expect(teams[1]["data"]?["code"]?.stringValue == code && teams[1]["data"]?["member_count"] == 2)
        #expect(teams.allSatisfy { $0["campaign_id"] == .int(teamBuy) })
    }

    @Test func unpaidPledgesAreRemindedOnceBeforeTheirBalanceIsDue() async throws {
        let api = try InProcessAPI(), id = try await campaign(api, threshold: 1)
        var pledges: [Int64] = []
        for n in 0..<3 { pledges.append(try #require(await api.pledge(id, #"{"consumer_id":"c\#(n)","quantity":1}"#).json?["id"]?.intValue)) }
        _ = await api.call("POST", "/v1/campaigns/\(id)/close", token: api.admin)
        let paid = await api.call("POST", "/v1/pledges/\(pledges[0])/payments", token: api.storefront,
                                  body: #"{"amount_minor":900,"reference":"wx"}"#, headers: [("Idempotency-Key", "k")])
        #expect(paid.status == 201)
        let due = try api.app.campaign(id: id).runBlocking().balanceDueAt
        // Not yet: a reminder comes a day before the deadline.
        api.clock.now = due.adding(seconds: -24 * 3600 - 1)
        #expect(await api.scheduler.remindBalancesDue() == 0)
        api.clock.now = due.adding(seconds: -24 * 3600)
        #expect(await api.scheduler.remindBalancesDue() == 2)
        #expect(await api.scheduler.remindBalancesDue() == 0)
        await api.scheduler.runDueWork()
        let reminders = await pullAll(api, query: "&types=pledge.balance_due")
        #expect(reminders.compactMap { $0["data"]?["id"]?.intValue } == Array(pledges.dropFirst()))
        #expect(reminders.allSatisfy { $0["data"]?["status"] == "confirmed" })
        // After the deadline the default sweep tells of each default.
        api.clock.now = due
        await api.scheduler.runDueWork()
        #expect(types(await pullAll(api, query: "&types=pledge.defaulted,pledge.balance_due")) ==
                ["pledge.balance_due", "pledge.balance_due", "pledge.defaulted", "pledge.defaulted"])
        // The reminder shows the pledge as it was then: confirmed, though it has defaulted since.
        #expect(await pullAll(api, query: "&types=pledge.balance_due").allSatisfy { $0["data"]?["status"] == "confirmed" })
    }
}

/// A page of events is bounded in bytes as well as in number: past the bound it stops and
/// resumes where it stopped, so nothing is skipped.
@Suite struct EventPageBoundTests {
    @Test func aPageStopsAtItsByteBoundAndResumesWhereItStopped() async throws {
        let api = try InProcessAPI()
        let id = try Seed(api.app, at: api.now.adding(seconds: -60)).campaign().id
        for n in 0..<20 { _ = await api.pledge(id, #"{"consumer_id":"c\#(n)","quantity":1}"#) }
        let page = try api.app.events(after: 0, types: nil, campaignID: nil, limit: 1_000).runBlocking()
        let total = Int64(page.events.count)   // published, twenty pledges, tipped
        #expect(total == 22)
        var cursor: Int64 = 0, seen: [JSONValue] = [], pages = 0
        while true {
            let slice = try api.app.events(after: cursor, types: nil, campaignID: nil, limit: 1_000).runBlocking()
            let json = try JSONParser.parse(TuanAPI.eventPage(slice, after: cursor, byteLimit: 2_000))
            let items = json["events"]?.arrayValue ?? []
            #expect(!items.isEmpty || json["has_more"] == .bool(false))
            seen += items
            pages += 1
            guard json["has_more"] == .bool(true), let next = json["next_after"]?.intValue else { break }
            cursor = next
        }
        #expect(pages > 3 && seen.compactMap { $0["seq"]?.intValue } == Array(1...total))
        let whole = try JSONParser.parse(TuanAPI.eventPage(page, after: 0))
        #expect(whole["events"]?.arrayValue == seen && whole["has_more"] == .bool(false))
    }
}
