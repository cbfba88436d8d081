import Foundation
import TuanDomain
import TuanForecast

/// Quantities are expected values, so they travel as decimals rounded to a tenth of a unit;
/// probabilities and ratios keep three decimals.
private func units(_ value: Double) -> JSONValue { .double((value * 10).rounded() / 10) }
private func ratio(_ value: Double?) -> JSONValue { value.map { .double(($0 * 1000).rounded() / 1000) } ?? .null }
private func time(_ seconds: Int64) -> JSONValue { .string(Timestamp(seconds: seconds).rfc3339) }
private func text(_ value: Double) -> String { String(format: "%.1f", value) }

extension CampaignForecast {
    /// The committed quantity at evenly spaced moments from the open to now, for charts.
    var observedPath: [(at: Int64, elapsed: Double, units: Int64)] {
        let curve = record.curve
        let points = 12
        return (0...points).map { step in
            let fraction = projection.elapsed * Double(step) / Double(points)
            return (record.opensAt + curve.offset(atElapsed: fraction), fraction, curve.quantity(atElapsed: fraction))
        }
    }

    var json: JSONValue {
        guard let items, case .object(var fields) = baseJSON else { return baseJSON }
        fields.append(.init("items", .array(items.items.map { item in
            ["sku": .string(item.key), "committed_units": .int(item.committed),
             "final_units": ["p10": units(item.p10), "p50": units(item.p50), "p90": units(item.p90), "mean": units(item.mean)],
             "share": ratio(item.share)]
        })))
        fields.append(.init("size_mix", ["source": .string(items.source.rawValue), "history_campaigns": .int(Int64(items.mix.historyCampaigns)),
                                         "concentration": ratio(items.mix.concentration),
                                         "style_shares": .array(items.mix.shares.map { ratio($0) })]))
        return .object(fields)
    }

    private var baseJSON: JSONValue {
        let window = record.closesAt - record.opensAt
        return [
            "campaign_id": .int(record.id), "sku": .string(record.sku), "category": .string(record.category),
            "status": .string(record.status.rawValue), "as_of": time(asOf), "opens_at": time(record.opensAt),
            "closes_at": time(record.closesAt), "elapsed": ratio(projection.elapsed), "threshold": .int(record.threshold),
            "cap": record.cap.map { .int($0) } ?? .null, "committed_units": .int(projection.committed),
            "final_units": ["p10": units(projection.p10), "p50": units(projection.p50), "p90": units(projection.p90),
                            "mean": units(projection.mean)],
            "tip_probability": ratio(projection.tipProbability),
            "firm_units": units(firmUnits), "projected_units": units(projectedUnits),
            "expected_paid_units": units(firmUnits + projectedUnits),
            "conversion": conversion.json,
            "observed": .array(observedPath.map { ["at": time($0.at), "elapsed": ratio($0.elapsed), "units": .int($0.units)] }),
            "path": .array(projection.path.map { point in
                ["at": time(record.opensAt + Int64(Double(window) * point.elapsed)), "elapsed": ratio(point.elapsed),
                 "p10": units(point.p10), "p50": units(point.p50), "p90": units(point.p90)]
            }),
            "model": ["history_campaigns": .int(Int64(projection.historyCampaigns)), "prior_only": .bool(projection.usedPrior),
                      "pledge_size_dispersion": ratio(forecaster.dispersion),
                      "duration_elasticity": ratio(forecaster.durationElasticity)],
        ]
    }

    /// The figures a list of campaigns shows: final units, P(tip), firm and projected units.
    var summaryJSON: JSONValue {
        [
            "campaign_id": .int(record.id), "sku": .string(record.sku), "category": .string(record.category),
            "status": .string(record.status.rawValue), "closes_at": time(record.closesAt), "elapsed": ratio(projection.elapsed),
            "threshold": .int(record.threshold), "committed_units": .int(projection.committed),
            "final_units": ["p10": units(projection.p10), "p50": units(projection.p50), "p90": units(projection.p90),
                            "mean": units(projection.mean)],
            "tip_probability": ratio(projection.tipProbability),
            "firm_units": units(firmUnits), "projected_units": units(projectedUnits),
        ]
    }

    /// One row per moment: observed rows carry units, projected rows the P10/P50/P90 band.
    var csv: String {
        let window = record.closesAt - record.opensAt
        var rows: [[String]] = [["campaign_id", "kind", "at", "elapsed", "units", "p10", "p50", "p90", "tip_probability"]]
        for point in observedPath {
            rows.append([String(record.id), "observed", Timestamp(seconds: point.at).rfc3339, String(format: "%.3f", point.elapsed),
                         String(point.units), "", "", "", ""])
        }
        for point in projection.path {
            rows.append([String(record.id), "projected", Timestamp(seconds: record.opensAt + Int64(Double(window) * point.elapsed)).rfc3339,
                         String(format: "%.3f", point.elapsed), "", text(point.p10), text(point.p50), text(point.p90),
                         String(format: "%.3f", projection.tipProbability)])
        }
        return CSV.document(rows)
    }
}

extension ConversionModel {
    var json: JSONValue {
        [
            "overall": ratio(overall),
            "segments": .array(rates.values.sorted { ($0.segment.band.rawValue, $0.segment.channel.rawValue) < ($1.segment.band.rawValue, $1.segment.channel.rawValue) }.map { rate in
                ["deposit_band": .string(rate.segment.band.rawValue), "channel": .string(rate.segment.channel.rawValue),
                 "paid_rate": ratio(rate.rate), "settled_units": .int(rate.settledUnits), "paid_units": .int(rate.paidUnits)]
            }),
        ]
    }
}

extension SKUForecast {
    var json: JSONValue {
        [
            "sku": .string(product.sku), "category": .string(product.category), "as_of": time(asOf),
            "policy": .string(plan.policy.name), "stock_units": .int(stockUnits),
            "weeks": .array(plan.weeks.enumerated().map { index, week in
                ["week_start": time(week.start), "firm_units": units(week.firm),
                 "subscription_units": units(subscriptionUnits[index]), "projected_units": units(week.projected),
                 "demand_units": units(week.demand), "recommended_order": .int(week.recommendedOrder),
                 "inventory_position": units(week.inventoryPosition)]
            }),
            "order_variance_ratio": ratio(plan.orderVarianceRatio),
            "bullwhip": [
                "window_weeks": .int(Int64(bullwhip.windowWeeks)),
                "actual": ratio(bullwhip.actual), "classic_order_up_to": ratio(bullwhip.classic),
                "recommended_policy": ratio(bullwhip.recommended),
                "demand": .array(bullwhip.demand.map(units)), "orders": .array(bullwhip.orders.map(units)),
            ],
            "open_campaigns": .array(openCampaigns.map { forecast in
                ["campaign_id": .int(forecast.record.id), "closes_at": time(forecast.record.closesAt),
                 "tip_probability": ratio(forecast.projection.tipProbability), "p50": units(forecast.projection.p50),
                 "expected_delivered_units": units(forecast.expectedDeliveredUnits)]
            }),
        ]
    }

    var csv: String { Self.csv([self]) }

    /// One row per SKU and week.
    static func csv(_ plans: [SKUForecast]) -> String {
        var rows: [[String]] = [["sku", "week_start", "firm_units", "projected_units", "demand_units", "recommended_order", "inventory_position"]]
        for forecast in plans {
            for week in forecast.plan.weeks {
                rows.append([forecast.product.sku, Timestamp(seconds: week.start).rfc3339, text(week.firm), text(week.projected),
                             text(week.demand), String(week.recommendedOrder), text(week.inventoryPosition)])
            }
        }
        return CSV.document(rows)
    }
}
