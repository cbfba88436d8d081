import Foundation
import Testing
import TuanApp
import TuanDomain
import TuanTesting

/// Rounding policies at the close (issue 23, part): a product that rounds down, or to the
/// nearest case within a tolerance, or drops below its MOQ, refunds the last-arrived pledges
/// (or lines) its order no longer holds; the ledger balances. In process.
@Suite struct RoundingRouteSpecs {
    /// Eggs in cases of 12, with the given rule; a campaign with pledges of 5, 5, 4 and 2 (in
    /// that order: 16 confirmed), closed.
    func close(_ api: InProcessAPI, _ rules: String, leader: Bool = false) async throws -> (CampaignClose, [Int64]) {
        _ = try await api.create("/v1/suppliers", #"{"name":"Farm"}"#)
        let product = await api.call("POST", "/v1/products", token: api.admin,
                                     body: #"{"sku":"eggs","supplier_id":1,"name":"Eggs","unit_cost_minor":300,"case_pack":12\#(rules)}"#)
        #expect(product.status == 201, "\(product.text)")
        if leader { _ = await api.call("POST", "/v1/leaders", token: api.admin, body: #"{"code":"wang","name":"W","pickup_point":"Gate","commission_bps":1000}"#) }
        let seed = Seed(api.app, at: api.now.adding(seconds: -600))
        let campaign = try seed.campaign(sku: "eggs", existingProduct: true, threshold: 1, cap: nil, deposit: 100, price: 1_000)
        var ids: [Int64] = []
        for (index, quantity) in [Int64(5), 5, 4, 2].enumerated() {
            ids.append(try seed.pledge(campaign.id, "c\(index)", quantity, leaderCode: leader ? "wang" : nil,
                                       at: api.now.adding(seconds: -500 + Int64(index))).pledge.id)
        }
        return (try api.app.closeCampaign(id: campaign.id, reason: .closed, at: api.now).runBlocking(), ids)
    }

    func status(_ api: InProcessAPI, _ id: Int64) async -> String? {
        await api.call("GET", "/v1/pledges/\(id)", token: api.admin).json?["status"]?.stringValue
    }

    @Test func roundingDownRefundsTheLastArrivedPledgesThatDoNotFillACase() async throws {
        let api = try InProcessAPI()
        let (close, ids) = try await close(api, #","rounding":"down""#, leader: true)
        let line = try #require(close.purchaseOrder?.lines.first)
        // 16 confirmed, one case of 12: 5 + 5 fit, the 4 does not, the 2 does (a line is never split).
        #expect(line.orderQuantity == 12 && line.confirmedQuantity == 12 && line.roundingSurplus == 0, "\(line)")
        var statuses: [String?] = []
        for id in ids { statuses.append(await status(api, id)) }
        #expect(statuses == ["confirmed", "confirmed", "refunded", "confirmed"])
        let refunds = await api.call("GET", "/v1/refunds?pledge_id=\(ids[2])", token: api.admin).json?["refunds"]?.arrayValue ?? []
        #expect(refunds.count == 1 && refunds.first?["amount_minor"] == .int(400))
        let events = await api.call("GET", "/v1/events?types=pledge.refunded", token: api.admin).json?["events"]?.arrayValue ?? []
        #expect(events.compactMap { $0["data"]?["id"]?.intValue } == [ids[2]])
        try api.expectLedgerConsistent()
    }

    @Test func nearestRoundsDownWithinItsToleranceAndUpBeyondIt() async throws {
        let within = try InProcessAPI()
        let (down, _) = try await close(within, #","rounding":"nearest","rounding_tolerance":4"#)
        #expect(down.purchaseOrder?.lines.first?.orderQuantity == 12)
        try within.expectLedgerConsistent()
        let beyond = try InProcessAPI()
        let (up, _) = try await close(beyond, #","rounding":"nearest","rounding_tolerance":3"#)
        #expect(up.purchaseOrder?.lines.first?.orderQuantity == 24 && up.purchaseOrder?.lines.first?.confirmedQuantity == 16)
    }

    @Test func belowItsMinimumALineIsDroppedOrRoundedUp() async throws {
        let drop = try InProcessAPI()
        let (dropped, ids) = try await close(drop, #","minimum_order_quantity":24,"below_minimum":"drop""#)
        #expect(dropped.campaign.status == .succeeded && dropped.purchaseOrder == nil)
        for id in ids { #expect(await status(drop, id) == "refunded") }
        try drop.expectLedgerConsistent()
        let up = try InProcessAPI()
        let (rounded, _) = try await close(up, #","minimum_order_quantity":24"#)
        #expect(rounded.purchaseOrder?.lines.first?.orderQuantity == 24)
    }

    @Test func badRulesAreRefused() async throws {
        let api = try InProcessAPI()
        _ = try await api.create("/v1/suppliers", #"{"name":"Farm"}"#)
        for rules in [#","rounding":"sideways""#, #","rounding":"nearest""#, #","rounding":"up","rounding_tolerance":2"#,
                      #","rounding_tolerance":2"#, #","below_minimum":"maybe""#] {
            let refused = await api.call("POST", "/v1/products", token: api.admin,
                                         body: #"{"sku":"eggs","supplier_id":1,"name":"Eggs","unit_cost_minor":300\#(rules)}"#)
            #expect(refused.status == 422, "\(rules): \(refused.text)")
        }
    }
}
