import TuanDomain
import TuanForecast
import TuanApp

/// A campaign of items projected per item: its total's projection split by the style's size
/// curve (`SizeMix`), learned from the style's finished campaigns, else from the styled
/// campaigns of its category (items matched by their attributes: a size M is a size M), else
/// an even prior that the campaign's own pledges soon outweigh.
struct ItemForecast: Sendable {
    enum Source: String, Sendable {
        case style, category, prior
    }

    var items: [SizeMix.ItemProjection]
    var source: Source
    var mix: SizeMix

    static func make(campaign: Campaign, finals: [Double], dispersion: Double, at now: Int64, category: String,
                     in db: any Repositories) throws -> ItemForecast {
        precondition(campaign.sellsItems, "a campaign of items")
        let skus = campaign.items.map(\.sku)
        let products = try skus.map { try db.requireProduct(sku: $0) }
        let signatures = products.map { $0.attributes.isEmpty ? $0.sku : $0.attributesJSON.serialized }
        var committed = [Int64](repeating: 0, count: skus.count)
        for line in try db.itemLines(campaignID: campaign.id) where line.counts(at: now) {
            if let index = skus.firstIndex(of: line.sku) { committed[index] += line.quantity }
        }
        var source = Source.prior
        var history: [[Int64]] = []
        if let style = products.first?.style {
            history = rows(try db.itemHistories(style: style, category: category), width: skus.count, excluding: campaign.id) { row in skus.firstIndex(of: row.sku) }
            source = .style
            if history.isEmpty {
                history = rows(try db.itemHistories(style: nil, category: category), width: skus.count, excluding: campaign.id) { row in
                    signatures.firstIndex(of: row.attributes)
                }
                source = .category
            }
        }
        if history.isEmpty { source = .prior }
        let mix = SizeMix(keys: skus, history: history)
        let seed = UInt64(bitPattern: campaign.id) &* 0x2545_F491_4F6C_DD1D &+ UInt64(bitPattern: now)
        return ItemForecast(items: mix.project(committed: committed, finals: finals, dispersion: dispersion, seed: seed),
                            source: source, mix: mix)
    }

    /// One row of `width` units per finished campaign (but `id`), each history row added at
    /// the key `position` gives it (rows it gives none are left out).
    private static func rows(_ found: [(campaignID: Int64, sku: String, attributes: String, units: Int64)], width: Int, excluding id: Int64,
                             position: ((campaignID: Int64, sku: String, attributes: String, units: Int64)) -> Int?) -> [[Int64]] {
        var byCampaign: [Int64: [Int64]] = [:]
        var order: [Int64] = []
        for row in found where row.campaignID != id {
            guard let index = position(row) else { continue }
            if byCampaign[row.campaignID] == nil {
                order.append(row.campaignID)
                byCampaign[row.campaignID] = [Int64](repeating: 0, count: width)
            }
            byCampaign[row.campaignID]![index] += row.units
        }
        return order.map { byCampaign[$0]! }
    }
}
