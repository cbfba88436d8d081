import Foundation
import TuanDomain
import TuanForecast
import TuanApp

extension ForecastCommands {
    /// `tuan forecast size-mix`: per-item projections of held-out campaigns of items against
    /// naive style shares (`SizeMixBacktest`), and their per-item series for other tools.
    static let sizeMix = CommandSpec(
        path: ["forecast", "size-mix"],
        summary: "score per-item (size) projections of held-out campaigns of items against naive style shares",
        options: [.value("holdout", "SHARE", "share of the newest finished campaigns of items held out (default 0.3)"),
                  .value("series-out", "FILE", "write held-out items' per-bucket series as CSV (unique_id,bucket,y,final)"),
                  .value("rows-out", "FILE", "write every item projection as CSV"),
                  .value("buckets", "N", "buckets per campaign window in --series-out (default 40)")]
    ) { args, ctx in
        let holdout = Double(args.value("holdout") ?? "0.3") ?? -1
        guard holdout > 0, holdout < 1 else { throw DomainError.invalid("holdout", "must be between 0 and 1") }
        let buckets = Int(try args.int("buckets") ?? 40)
        guard (2...1_000).contains(buckets) else { throw DomainError.invalid("buckets", "must be 2-1000") }
        let campaigns = try ctx.app().snapshotBlocking { db in try itemCampaigns(in: db) }
        guard campaigns.count >= 10 else { throw DomainError(.conflict, "need at least 10 finished campaigns of items, found \(campaigns.count)") }
        let result = SizeMixBacktest(campaigns: campaigns, holdout: holdout)
        if let path = args.value("series-out") {
            var rows = [["unique_id", "campaign_id", "sku", "bucket", "y", "final"]]
            for campaign in result.heldOut {
                for item in campaign.items {
                    for (index, units) in item.unitsPerBucket(buckets).enumerated() {
                        rows.append(["\(campaign.total.campaignID):\(item.sku)", String(campaign.total.campaignID), item.sku, String(index),
                                     String(units), String(item.finalQuantity)])
                    }
                }
            }
            try CSV.document(rows).write(toFile: path, atomically: true, encoding: .utf8)
        }
        if let path = args.value("rows-out") {
            var rows = [["campaign_id", "sku", "elapsed", "final", "committed", "p10", "p50", "p90", "naive_p10", "naive_p50", "naive_p90"]]
            for row in result.rows {
                rows.append([String(row.campaignID), row.sku, String(row.elapsed), String(row.final), String(row.committed),
                             format(row.ours.p10), format(row.ours.p50), format(row.ours.p90),
                             format(row.naive.p10), format(row.naive.p50), format(row.naive.p90)])
            }
            try CSV.document(rows).write(toFile: path, atomically: true, encoding: .utf8)
        }
        var lines = ["history \(result.historyCount) campaigns of items, held out \(result.heldOut.count)",
                     "elapsed  items  WAPE   P10-P90  naive WAPE  naive P10-P90"]
        var checkpoints: [JSONValue] = []
        for c in result.checkpoints {
            lines.append("\(pad(String(format: "%.0f%%", c.elapsed * 100), 7))  \(pad(String(c.items), 5))  \(String(format: "%.3f", c.wape))  \(pad(String(format: "%.1f%%", c.coverage * 100), 7))  \(pad(String(format: "%.3f", c.naiveWAPE), 10))  \(pad(String(format: "%.1f%%", c.naiveCoverage * 100), 13))")
            checkpoints.append(["elapsed": .double(c.elapsed), "items": .int(Int64(c.items)), "wape": .double(c.wape),
                                "coverage": .double(c.coverage), "naive_wape": .double(c.naiveWAPE), "naive_coverage": .double(c.naiveCoverage)])
        }
        return CommandOutput(text: lines.joined(separator: "\n"),
                             json: ["history": .int(Int64(result.historyCount)), "held_out": .int(Int64(result.heldOut.count)),
                                    "checkpoints": .array(checkpoints)])
    }

    /// Every finished campaign of items: its total curve, its style and a curve per item built
    /// from its pledges' lines (a line counts from its pledge's placing to its cancellation).
    static func itemCampaigns(in db: any Repositories) throws -> [SizeMixBacktest.Campaign] {
        var found: [SizeMixBacktest.Campaign] = []
        for record in try db.campaignHistories(category: nil, sku: nil, statuses: [.succeeded, .failed], id: nil) {
            guard let campaign = try db.campaign(id: record.id), campaign.sellsItems,
                  let style = try db.product(sku: campaign.items[0].sku)?.style else { continue }
            var changes: [String: [PledgeCurve.Change]] = [:]
            for line in try db.itemLines(campaignID: record.id) {
                changes[line.sku, default: []].append(.init(offset: line.createdAt - record.opensAt, units: line.quantity))
                if let cancelled = line.cancelledAt {
                    changes[line.sku, default: []].append(.init(offset: cancelled - record.opensAt, units: -line.quantity))
                }
            }
            let items = campaign.items.map { item in
                PledgeCurve(campaignID: record.id, sku: item.sku, category: record.category, opensAt: record.opensAt,
                            closesAt: record.closesAt, threshold: record.threshold, cap: item.cap, changes: changes[item.sku] ?? [])
            }
            found.append(SizeMixBacktest.Campaign(total: record.curve, style: style, items: items))
        }
        return found
    }
}
