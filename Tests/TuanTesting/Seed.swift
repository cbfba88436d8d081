import TuanApp
import TuanDomain

/// The one seed builder: suppliers, products and campaigns made through the application,
/// so seeded data obeys every rule real data does. Each call makes what it needs.
public struct Seed {
    public let app: TuanApplication
    public var at: Timestamp

    public init(_ app: TuanApplication, at: Timestamp = Timestamp(seconds: 1_800_000_000)) {
        self.app = app
        self.at = at
    }

    /// A supplier and one product of it; returns the product.
    @discardableResult
    public func product(sku: String = "tea", unitCost: Int64 = 400, casePack: Int64 = 6, minimumOrderQuantity: Int64 = 12,
                        capacity: Int64? = nil, category: String = "general", endpointURL: String? = nil) throws -> Product {
        let supplier = try app.createSupplier(name: "Farm \(sku)", endpointURL: endpointURL, webhookSecret: "whsec_c2VlZA==", at: at)
            .runBlocking()
        let product = try Product(sku: sku, supplierID: supplier.id, name: sku, casePack: casePack, minimumOrderQuantity: minimumOrderQuantity,
                                  unitCost: Money(minor: unitCost, currency: .cny), capacity: capacity, category: category)
        return try app.createProduct(product, at: at).runBlocking()
    }

    /// An open campaign for `sku` (its product made first unless `existingProduct`), opening
    /// at `at`: tiers 10.00 from one unit and 8.00 from twenty unless `price` gives one tier.
    public func campaign(sku: String = "tea", existingProduct: Bool = false, threshold: Int64 = 10, cap: Int64? = 50,
                         deposit: Int64 = 100, price: Int64? = nil, maxPerPledge: Int64? = nil, closesIn seconds: Int64 = 7 * 86_400,
                         balanceDueIn: Int64? = nil, forfeitDepositOnDefault: Bool = true, team: TeamRule? = nil) throws -> Campaign {
        if !existingProduct { try product(sku: sku) }
        let closesAt = at.adding(seconds: seconds)
        let tiers = price.map { [PriceTier(minQuantity: 1, unitPrice: Money(minor: $0, currency: .cny))] }
            ?? [PriceTier(minQuantity: 1, unitPrice: Money(minor: 1000, currency: .cny)),
                PriceTier(minQuantity: 20, unitPrice: Money(minor: 800, currency: .cny))]
        let draft = try CampaignDraft(sku: sku, title: "Campaign \(sku)", opensAt: at, closesAt: closesAt,
                                      balanceDueAt: balanceDueIn.map { closesAt.adding(seconds: $0) }, threshold: threshold, cap: cap,
                                      tiers: tiers, depositPerUnit: Money(minor: deposit, currency: .cny), maxPerPledge: maxPerPledge,
                                      forfeitDepositOnDefault: forfeitDepositOnDefault, team: team)
        return try app.createCampaign(draft, publish: true, at: at).runBlocking()
    }

    /// A pledge of `quantity` by `consumer`, a minute after the seed's time unless `at` is given.
    @discardableResult
    public func pledge(_ campaignID: Int64, _ consumer: String, _ quantity: Int64, leaderCode: String? = nil, key: String? = nil,
                       at time: Timestamp? = nil) throws -> PledgeOutcome {
        let request = try PledgeRequest(consumerID: consumer, quantity: quantity, leaderCode: leaderCode,
                                        idempotencyKey: key ?? "\(campaignID)-\(consumer)-\(quantity)-\(UInt64.random(in: 0...UInt64.max))")
        return try app.placePledge(campaignID: campaignID, request: request, scope: "test", at: time ?? at.adding(seconds: 60)).runBlocking()
    }

    /// A group leader with a pickup point.
    @discardableResult
    public func leader(_ code: String, commissionBasisPoints: Int64 = 300) throws -> Leader {
        try app.registerLeader(try Leader(id: 0, code: code, name: "Leader \(code)", pickupPoint: "Point \(code)",
                                          commissionBasisPoints: commissionBasisPoints), at: at).runBlocking()
    }
}
