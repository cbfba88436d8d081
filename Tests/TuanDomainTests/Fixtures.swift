@testable import TuanDomain

enum Fixtures {
    static let cny = Currency.cny
    static let t0 = Timestamp(seconds: 1_800_000_000)

    static func money(_ minor: Int64) -> Money { Money(minor: minor, currency: cny) }

    static func product(casePack: Int64 = 6, moq: Int64 = 0, unitCost: Int64 = 500) -> Product {
        try! Product(sku: "tea-1", supplierID: 1, name: "Tea", casePack: casePack, minimumOrderQuantity: moq,
                     unitCost: money(unitCost), capacity: nil)
    }

    static func campaign(threshold: Int64 = 10, cap: Int64? = 30, deposit: Int64 = 100,
                         tiers: [(Int64, Int64)] = [(1, 1000), (10, 900), (20, 800)]) -> Campaign {
        let draft = try! CampaignDraft(
            sku: "tea-1", title: "Spring tea", opensAt: t0, closesAt: t0.adding(days: 7),
            cancellationDeadline: t0.adding(days: 6), threshold: threshold, cap: cap,
            tiers: tiers.map { PriceTier(minQuantity: $0.0, unitPrice: money($0.1)) }, depositPerUnit: money(deposit))
        return Campaign(id: 1, draft: draft, status: .open)
    }

    static func request(_ consumer: String, _ quantity: Int64, key: String? = nil, pickup: String? = nil,
                        leader: String? = nil) -> PledgeRequest {
        try! PledgeRequest(consumerID: consumer, quantity: quantity, leaderCode: leader, pickupPoint: pickup,
                           idempotencyKey: key ?? "\(consumer)-\(quantity)")
    }
}
