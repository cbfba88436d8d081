import Foundation
import TuanDomain

/// Clothing styles sold as campaigns of items, for the size-mix benchmark: each style comes in
/// 2 colours × 4 sizes with a mix of its own (a colour split drawn per style, sizes around a
/// bell), and every campaign's mix is drawn around the style's with concentration κ = 30 (one
/// winter the navy sells, another the red), its pledges each choosing an item by it. Arrival,
/// cancellations and settlement are those of the SKU campaigns.
extension SyntheticMarket {
    public static let styleColours = ["navy", "red"]
    public static let styleSizes = ["S", "M", "L", "XL"]
    /// How closely a campaign's mix follows its style's.
    public static let styleConcentration = 30.0

    mutating func addStyles(_ parameters: Parameters, start: Int64, consumerCounter: inout Int) {
        guard parameters.styles > 0 else { return }
        var random = SeededGenerator(seed: parameters.seed ^ 0x5EED_57A1_E5)
        for styleIndex in 0..<parameters.styles {
            let style = "jacket-\(styleIndex + 1)"
            let price = Int64.random(in: 40_000...90_000, using: &random) / 100 * 100
            let colour = random.beta(3, 3)
            let bell = [0.15, 0.35, 0.32, 0.18].map { $0 * random.logNormal(mu: 0, sigma: 0.25) }
            let bellSum = bell.reduce(0, +)
            var mix: [Double] = [], indices: [Int] = [], deltas: [Int64] = []
            for (c, colourName) in Self.styleColours.enumerated() {
                for (z, size) in Self.styleSizes.enumerated() {
                    mix.append((c == 0 ? colour : 1 - colour) * bell[z] / bellSum)
                    indices.append(products.count)
                    deltas.append(size == "XL" ? 2_000 : 0)
                    products.append(SimulatedProduct(
                        sku: "\(style)-\(colourName)-\(size.lowercased())", name: "Down jacket \(styleIndex + 1) \(colourName) \(size)",
                        category: "outerwear", supplierIndex: styleIndex % Self.supplierNames.count, unitPriceMinor: price,
                        unitCostMinor: price * 50 / 100, casePack: 5, minimumOrderQuantity: 0, weeklyPopularity: 0, productionRun: 0,
                        style: style, attributes: [("colour", colourName), ("size", size)]))
                }
            }
            let popularity = 160 * random.logNormal(mu: 0, sigma: 0.4)
            let run = Int64((120 * Double.random(in: 0.6...1.4, using: &random)).rounded())
            let first = products[indices[0]]
            let template = SimulatedProduct(sku: first.sku, name: "Down jacket \(styleIndex + 1)", category: "outerwear",
                                            supplierIndex: first.supplierIndex, unitPriceMinor: price, unitCostMinor: first.unitCostMinor,
                                            casePack: 5, minimumOrderQuantity: 0, weeklyPopularity: popularity, productionRun: run)
            var opensAt = start + Int64.random(in: 0...(3 * 86_400), using: &random)
            while opensAt < parameters.now {
                let days = [7, 10, 14][Int.random(in: 0..<3, using: &random)]
                let closesAt = opensAt + Int64(days) * 86_400
                var campaign = Self.campaign(productIndex: indices[0], product: template, opensAt: opensAt, closesAt: closesAt,
                                             expected: pow(Double(days) / 7, 0.7) * popularity, random: &random,
                                             consumerCounter: &consumerCounter)
                var shares = mix.map { random.gamma(shape: Self.styleConcentration * $0, rate: 1) }
                let sum = shares.reduce(0, +)
                shares = shares.map { $0 / sum }
                for index in campaign.pledges.indices {
                    var roll = random.unit(), item = shares.count - 1
                    for (position, share) in shares.enumerated() {
                        if roll < share { item = position; break }
                        roll -= share
                    }
                    campaign.pledges[index].item = item
                }
                campaign.title = "Down jacket \(styleIndex + 1) group buy"
                campaign.cap = nil
                campaign.itemProductIndices = indices
                campaign.itemPriceDeltasMinor = deltas
                campaigns.append(campaign)
                opensAt = closesAt + Int64.random(in: 3_600...(2 * 86_400), using: &random)
            }
        }
    }
}
