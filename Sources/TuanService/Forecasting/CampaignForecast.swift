import TuanDomain
import TuanForecast
import TuanApp

/// A planner's view of one campaign: where it will likely close, whether it tips, and how
/// much of it is firm (backed by deposits, after expected defaults) versus merely projected.
struct CampaignForecast: Sendable {
    var record: CampaignHistoryRecord
    var asOf: Int64
    var projection: CampaignProjection
    /// Expected paid units from standing pledges that carry a deposit.
    var firmUnits: Double
    /// Expected paid units beyond the firm ones: zero-deposit pledges and pledges still to come.
    var projectedUnits: Double
    var conversion: ConversionModel
    var forecaster: CampaignForecaster
    /// For a campaign of items: each item's projection (made with `make(campaignID:…)`).
    var items: ItemForecast?

    static func make(campaignID: Int64, at now: Int64, models: ForecastModels, in db: any Repositories) throws -> CampaignForecast {
        guard let record = try db.campaignHistories(category: nil, sku: nil, statuses: CampaignStatus.allCases, id: campaignID).first else {
            throw DomainError(.notFound, "campaign \(campaignID) does not exist")
        }
        let fitted = try models.models(for: record.category, in: db)
        var forecast = make(record: record, at: now, fitted: fitted)
        let campaign = try db.requireCampaign(id: campaignID)
        if campaign.sellsItems {
            let finals = fitted.forecaster.projectWithFinals(record.curve, atElapsed: forecast.projection.elapsed,
                                                             seenThrough: elapsed(of: record, at: now)).finals
            forecast.items = try ItemForecast.make(campaign: campaign, finals: finals, dispersion: fitted.forecaster.dispersion,
                                                   at: record.status.isFinal ? record.closesAt : now, category: record.category, in: db)
        }
        return forecast
    }

    /// A live campaign's projection is made as of the minute (`projectionMinute`), counting
    /// every pledge placed by `now`: the same within a minute, so it is kept (with the model it
    /// was made with) and a dashboard refreshed in that minute does not draw 4 000 samples per
    /// campaign again. A new pledge, a refitted model or the next minute makes a new one.
    static let projectionMinute: Int64 = 60

    /// How far into its window the campaign is at `instant` (1 once it finished).
    static func elapsed(of record: CampaignHistoryRecord, at instant: Int64) -> Double {
        let window = Double(max(1, record.closesAt - record.opensAt))
        return record.status.isFinal ? 1 : max(0, min(1, Double(instant - record.opensAt) / window))
    }

    static func make(record: CampaignHistoryRecord, at now: Int64, fitted: ForecastModels.Fitted) -> CampaignForecast {
        let asOf = now - ((now % projectionMinute) + projectionMinute) % projectionMinute
        let curve = record.curve, seenThrough = elapsed(of: record, at: now)
        // The changes it counts as seen: a prefix of the curve's, so their number tells them
        // apart (a clock behind the record's last pledges sees fewer of them).
        let seen = curve.truncated(atElapsed: seenThrough).changes.count
        let projection = fitted.projections.projection(of: record, asOf: record.status.isFinal ? .min : asOf, seen: seen) {
            fitted.forecaster.project(curve, atElapsed: elapsed(of: record, at: asOf), seenThrough: seenThrough)
        }
        let standing = record.standingPledges
        // Failed and cancelled campaigns refunded every pledge, so nothing stands and both stay 0.
        var firm = 0.0, soft = 0.0, weightedRate = 0.0, standingUnits = 0.0
        for pledge in standing {
            let rate = pledge.status == .paid ? 1 : fitted.conversion.rate(record.segment(of: pledge))
            let units = Double(pledge.units)
            if pledge.depositMinor > 0 || pledge.status == .paid { firm += units * rate } else { soft += units * rate }
            weightedRate += units * rate
            standingUnits += units
        }
        // Pledges still to come convert like the ones so far, or like the category when there are none.
        let futureRate = standingUnits > 0 ? weightedRate / standingUnits : fitted.conversion.overall
        let future = max(0, projection.mean - Double(projection.committed)) * futureRate
        return CampaignForecast(record: record, asOf: now, projection: projection, firmUnits: firm,
                                projectedUnits: record.status.isFinal ? soft : soft + future,
                                conversion: fitted.conversion, forecaster: fitted.forecaster)
    }

    /// E[paid units | it tips] · P(tip): what the SKU plan counts for an open campaign.
    var expectedDeliveredUnits: Double {
        let rate = projection.mean > 0 ? min(1, (firmUnits + projectedUnits) / projection.mean) : conversion.overall
        return projection.expectedTippedQuantity * rate
    }
}
