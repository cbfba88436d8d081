import Foundation
import TuanDomain

/// A seeded generator of realistic group-buy history, used by `tuan simulate`, the tests and
/// the forecast benchmark. It is deliberately richer than the forecaster's assumptions:
///
/// - SKUs with heterogeneous popularity (log-normal around a category level) run back-to-back
///   campaigns of 3–10 days; each campaign's demand varies again around its SKU's level;
/// - each SKU's threshold is its factory's production run, set from the category rather than
///   from the SKU's (unknown) popularity, so unpopular SKUs fail often and popular ones tip;
/// - pledges arrive in a U (launch burst, quiet middle, deadline surge) whose proportions and
///   decay vary per campaign; a strong launch draws more later pledges (social proof);
///   quantities are 1, 2, 3 or 5 units;
/// - some campaigns have caps; deposits are 0, 5%, 20% or 40% of the price;
/// - pledges cancel (fewer with bigger deposits), and after success some buyers default on the
///   balance (fewer with bigger deposits, and fewer through a group leader).
public struct SyntheticMarket: Sendable {
    public struct Parameters: Sendable {
        public var seed: UInt64 = 42
        public var skus: Int = 24
        public var weeks: Int = 26
        /// Styles of clothing sold as campaigns of items (`SyntheticMarket+Styles`): 2 colours ×
        /// 4 sizes each, from their own generator, so the SKUs above come out as without them.
        public var styles: Int = 0
        /// History ends here; campaigns still running at this instant are left open.
        public var now: Int64
        public var currency: Currency = .cny
        public init(now: Int64) { self.now = now }
    }

    public struct SimulatedProduct: Sendable {
        public var sku: String
        public var name: String
        public var category: String
        public var supplierIndex: Int
        public var unitPriceMinor: Int64
        public var unitCostMinor: Int64
        public var casePack: Int64
        public var minimumOrderQuantity: Int64
        /// Mean units per 7-day campaign.
        public var weeklyPopularity: Double
        /// The smallest run the factory will make: every campaign of this SKU tips at it. It is
        /// set from the category, not from the SKU's popularity, which nobody knows at launch.
        public var productionRun: Int64
        /// For a variant of a style: the style and its attributes (colour, size).
        public var style: String? = nil
        public var attributes: [(name: String, value: String)] = []
    }

    public struct SimulatedPledge: Sendable {
        public var offset: Int64
        public var quantity: Int64
        public var consumer: String
        public var leaderCode: String?
        /// Seconds after opening when the buyer cancels, if they do.
        public var cancelOffset: Int64?
        /// Whether the buyer pays the balance if the campaign succeeds.
        public var paysBalance: Bool
        /// Seconds after the close when the buyer pays or the balance falls due.
        public var settlementDelay: Int64
        /// In a campaign of items: which of them (an index into `itemProductIndices`).
        public var item: Int? = nil
    }

    public struct SimulatedCampaign: Sendable {
        public var productIndex: Int
        public var title: String
        public var opensAt: Int64
        public var closesAt: Int64
        public var threshold: Int64
        public var cap: Int64?
        public var tiers: [(minQuantity: Int64, unitPriceMinor: Int64)]
        public var depositPerUnitMinor: Int64
        public var pledges: [SimulatedPledge]
        /// A campaign of items: the products it sells (the first is `productIndex`); with them
        /// the threshold is also the style minimum. Empty for a campaign of one product.
        public var itemProductIndices: [Int] = []
        /// Price difference per item, in the items' order.
        public var itemPriceDeltasMinor: [Int64] = []
    }

    public static let categories: [(name: String, level: Double, price: ClosedRange<Int64>)] = [
        ("fruit", 140, 2_000...9_000), ("snacks", 110, 1_000...4_000), ("home", 60, 5_000...30_000),
        ("beauty", 80, 4_000...20_000), ("electronics", 35, 20_000...150_000),
    ]
    public static let leaderCodes = (1...12).map { "leader-\($0)" }
    public static let supplierNames = ["Orchard Co-op", "Snack Works", "Home Goods Factory", "Beauty Lab", "Gadget Plant"]

    public internal(set) var products: [SimulatedProduct] = []
    public internal(set) var campaigns: [SimulatedCampaign] = []

    public init(_ parameters: Parameters) {
        var random = SeededGenerator(seed: parameters.seed)
        let start = parameters.now - Int64(parameters.weeks) * 7 * 86_400
        var consumerCounter = 0
        for index in 0..<parameters.skus {
            let category = Self.categories[index % Self.categories.count]
            let price = Int64.random(in: category.price, using: &random) / 10 * 10
            let popularity = category.level * random.logNormal(mu: 0, sigma: 0.6)
            let product = SimulatedProduct(
                sku: "\(category.name)-\(index + 1)", name: "\(category.name.capitalized) item \(index + 1)",
                category: category.name, supplierIndex: index % Self.categories.count,
                unitPriceMinor: price, unitCostMinor: price * 55 / 100, casePack: [1, 6, 12][index % 3],
                minimumOrderQuantity: [0, 12, 24][index % 3], weeklyPopularity: popularity,
                productionRun: max(5, Int64((category.level * Double.random(in: 0.5...1.6, using: &random)).rounded())))
            products.append(product)

            var opensAt = start + Int64.random(in: 0...(3 * 86_400), using: &random)
            while opensAt < parameters.now {
                let days = [3, 5, 7, 7, 10][Int.random(in: 0..<5, using: &random)]
                let closesAt = opensAt + Int64(days) * 86_400
                let scale = pow(Double(days) / 7, 0.7) * popularity
                let campaign = Self.campaign(productIndex: index, product: product, opensAt: opensAt, closesAt: closesAt,
                                             expected: scale, random: &random, consumerCounter: &consumerCounter)
                campaigns.append(campaign)
                opensAt = closesAt + Int64.random(in: 3_600...(2 * 86_400), using: &random)
            }
        }
        addStyles(parameters, start: start, consumerCounter: &consumerCounter)
        campaigns.sort { ($0.opensAt, $0.productIndex) < ($1.opensAt, $1.productIndex) }
    }

    static func campaign(productIndex: Int, product: SimulatedProduct, opensAt: Int64, closesAt: Int64,
                                 expected: Double, random: inout SeededGenerator,
                                 consumerCounter: inout Int) -> SimulatedCampaign {
        let demand = expected * random.logNormal(mu: -0.05, sigma: 0.45)
        let threshold = product.productionRun
        let cap: Int64? = Double.random(in: 0..<1, using: &random) < 0.2
            ? threshold * Int64.random(in: 2...3, using: &random) : nil
        let price = product.unitPriceMinor
        let tiers: [(Int64, Int64)] = [(1, price), (threshold, price * 90 / 100), (threshold * 2, price * 80 / 100)]
        let depositShare = [0, 5, 20, 40][Int.random(in: 0..<4, using: &random)]
        let deposit = price * 80 / 100 * Int64(depositShare) / 100
        let duration = closesAt - opensAt

        // The U: weights of launch burst, even middle and deadline surge, and how sharp each burst is.
        let launch = random.gamma(shape: 7, rate: 1), middle = random.gamma(shape: 6, rate: 1), surge = random.gamma(shape: 7, rate: 1)
        let total = launch + middle + surge
        let launchSharpness = Double.random(in: 4...10, using: &random)
        let surgeSharpness = Double.random(in: 4...10, using: &random)
        let cancelRate = [0.10, 0.06, 0.03, 0.015][[0, 5, 20, 40].firstIndex(of: depositShare)!]
        let defaultRate = [0.25, 0.12, 0.06, 0.03][[0, 5, 20, 40].firstIndex(of: depositShare)!]

        let sizes: [(Int64, Double)] = [(1, 0.6), (2, 0.25), (3, 0.1), (5, 0.05)]
        // Social proof ("launch hard or go home", Etter et al. 2013): a launch that beats what
        // the campaign's popularity promised draws more of the middle and the surge, a weak one
        // fewer. Group buys spread through shares in chat groups, so momentum compounds.
        let expectedLaunch = demand * launch / total / 1.6
        let launchCount = random.poisson(mean: expectedLaunch)
        let momentum = pow((Double(launchCount) + 1) / (expectedLaunch + 1), 0.8)
        let laterCount = random.poisson(mean: demand * (middle + surge) / total / 1.6 * momentum)
        var pledges = [SimulatedPledge]()
        pledges.reserveCapacity(Int(launchCount + laterCount))
        for n in 0..<(launchCount + laterCount) {
            let u = random.unit()
            let fraction = n < launchCount ? 1 - pow(1 - u, 1 / launchSharpness)
                : random.unit() * (middle + surge) < middle ? u
                : pow(u, 1 / surgeSharpness)
            let offset = min(duration - 1, Int64(fraction * Double(duration)))
            var roll = random.unit(), quantity: Int64 = 1
            for (size, probability) in sizes {
                if roll < probability { quantity = size; break }
                roll -= probability
            }
            let leader = random.unit() < 0.4 ? leaderCodes[Int(random.next() % UInt64(leaderCodes.count))] : nil
            let cancels = random.unit() < cancelRate
            let cancelOffset = cancels ? offset + Int64(random.unit() * Double(duration - offset - 1)) : nil
            let pays = random.unit() >= defaultRate * (leader == nil ? 1 : 0.5)
            consumerCounter += 1
            pledges.append(SimulatedPledge(
                offset: offset, quantity: quantity, consumer: "sim-\(consumerCounter)", leaderCode: leader,
                cancelOffset: cancelOffset.map { max(offset + 1, $0) }, paysBalance: pays,
                settlementDelay: Int64(random.unit() * 6 * 86_400)))
        }
        pledges.sort { $0.offset < $1.offset }
        return SimulatedCampaign(productIndex: productIndex, title: "\(product.name) group buy", opensAt: opensAt,
                                 closesAt: closesAt, threshold: threshold, cap: cap,
                                 tiers: tiers.map { (minQuantity: $0.0, unitPriceMinor: $0.1) },
                                 depositPerUnitMinor: deposit, pledges: pledges)
    }
}
