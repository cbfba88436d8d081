import Foundation
import TuanDomain
import TuanHTTP
import TuanApp
import TuanQR

/// What each page shows, loaded in one read snapshot: the pages render these, they do not query.
extension TuanAPI {
    func campaignPage(id: Int64, form: CampaignPage.Form, teamCode: String?, joinedID: Int64?, request: HTTPRequest,
                      now: Timestamp, models: ForecastModels, in db: any Repositories) throws -> CampaignPage {
        let campaign = try db.requireCampaign(id: id)
        let product = try db.requireProduct(sku: campaign.sku)
        let team = try teamCode.flatMap { try db.team(code: $0) }.flatMap { $0.campaignID == id ? $0 : nil }
        var joined: CampaignPage.Joined?
        if let joinedID, let pledge = try db.pledge(id: joinedID), pledge.campaignID == id {
            let pledgeTeam = try pledge.teamID.flatMap { try db.team(id: $0) }
            joined = CampaignPage.Joined(quantity: pledge.quantity, deposit: pledge.deposit, team: pledgeTeam, lines: pledge.lines)
        }
        let itemProducts = try campaign.items.map { try db.requireProduct(sku: $0.sku) }
        // The chance to tip is a nicety: a campaign page never fails because a forecast did.
        let tip = campaign.status.acceptsPledges
            ? (try? CampaignForecast.make(campaignID: id, at: now.seconds, models: models, in: db))?.projection.tipProbability : nil
        // A campaign of items names its style, not its first item.
        let name = campaign.sellsItems ? (itemProducts.first?.style ?? product.name) : product.name
        return CampaignPage(campaign: campaign, productName: name, itemProducts: itemProducts, tipProbability: tip, team: team, form: form,
                            joined: joined, origin: Self.origin(of: request), now: now, l: localizer(request, campaign: campaign))
    }

    func posterPage(id: Int64, teamCode: String?, leaderCode: String?, correction: QRCode.Correction, request: HTTPRequest,
                    now: Timestamp, in db: any Repositories) throws -> PosterPage {
        let campaign = try db.requireCampaign(id: id)
        let product = try db.requireProduct(sku: campaign.sku)
        let team = try teamCode.flatMap { try db.team(code: $0) }.flatMap { $0.campaignID == id ? $0 : nil }
        // Only a leader that exists goes on a poster: a forged code would print a link that fails.
        let leader = try leaderCode.flatMap { try db.leader(code: $0) }
        return PosterPage(campaign: campaign, productName: product.name, team: team, leaderCode: leader?.code,
                          origin: Self.origin(of: request), now: now, correction: correction, l: localizer(request, campaign: campaign))
    }

    /// `scheme://host` of the request, for share links.
    static func origin(of request: HTTPRequest) -> String {
        let scheme = request.headers["X-Forwarded-Proto"] == "https" ? "https" : "http"
        return "\(scheme)://\(request.headers["Host"] ?? "localhost")"
    }

    static func plannerDashboard(viewer: PageLayout.Viewer, now: Timestamp, models: ForecastModels, _ l: Localizer,
                                 weeks: WeekGrid, in db: any Repositories) throws -> PlannerDashboard {
        let open = try db.liveCampaigns(limit: 50)
        // Every live campaign's projection in one pass, shown for the 50 that close soonest.
        var forecasts: [Int64: CampaignForecast] = [:]
        for forecast in try CampaignForecast.makeAll(at: now.seconds, models: models, in: db) { forecasts[forecast.record.id] = forecast }
        var campaigns: [PlannerDashboard.OpenCampaign] = []
        for campaign in open {
            guard let forecast = forecasts[campaign.id] else { continue }
            campaigns.append(.init(title: campaign.title, forecast: forecast))
        }
        // Plans for the SKUs with something open: campaigns first (soonest close), then subscriptions.
        var skus: [String] = []
        for sku in open.map(\.sku) + (try db.subscribedSKUs()) where !skus.contains(sku) {
            skus.append(sku)
        }
        let shown = Array(skus.prefix(PlannerDashboard.chartLimit))
        var bySKU: [String: SKUForecast] = [:]
        for plan in try SKUForecast.makeAll(only: Set(shown), weeks: 8, at: now.seconds, models: models, subscriptionWeeks: weeks, in: db) {
            bySKU[plan.product.sku] = plan
        }
        let plans = shown.compactMap { bySKU[$0] }
        let orders = try db.purchaseOrders(PurchaseOrderFilter(limit: 20))
        let statuses = try db.deliveryStatuses(of: orders)
        let dead = try db.purchaseOrders(PurchaseOrderFilter(deliveryState: .dead, limit: 50))
        let deadStatuses = try db.deliveryStatuses(of: dead)
        return PlannerDashboard(viewer: viewer, now: now, campaigns: campaigns, plans: plans,
                                orders: orders.map { ($0, statuses[$0.id]) }, deadLetters: dead.map { ($0, deadStatuses[$0.id]) }, l: l)
    }

    static func supplierPage(supplierID: Int64, viewer: PageLayout.Viewer, _ l: Localizer, in db: any Repositories, notice: String?,
                             failure: (orderID: Int64, field: String?, message: String)?) throws -> SupplierPage {
        let supplier = try db.requireSupplier(id: supplierID)
        let orders = try db.purchaseOrders(PurchaseOrderFilter(supplierID: supplierID, limit: 50))
        let statuses = try db.deliveryStatuses(of: orders)
        return SupplierPage(viewer: viewer, supplier: supplier, orders: orders.map { ($0, statuses[$0.id]) }, notice: notice, failure: failure, l: l)
    }
}
