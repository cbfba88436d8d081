import TuanDomain
import TuanApp

/// The simulation's side of the world: a store with a catalogue, a seeded generator that
/// chooses each next action, and the expected state (`SimulationModel`) it keeps as it goes.
struct SimulationWorld {
    enum Action: CaseIterable {
        case pledge, replay, conflictingReplay, cancel, close, pay, defaultPledge, answer, failedJob, advanceClock
    }

    /// Thrown by an injected job after it has written: the writer must undo all of it.
    struct InjectedFailure: Error {}

    let app: TuanApplication
    var generator: SeededGenerator
    var model: SimulationModel
    private var keySequence = 0

    init(app: TuanApplication, seed: UInt64) throws {
        self.app = app
        generator = SeededGenerator(seed: seed)
        let t0 = Timestamp(seconds: 1_900_000_000)
        model = SimulationModel(now: t0)
        var g = generator
        let products = (0..<2).map { i in
            (sku: "sku-\(i)", casePack: Int64.random(in: 1...12, using: &g), moq: Int64.random(in: 0...30, using: &g),
             cost: Int64.random(in: 0...800, using: &g))
        }
        let leaders = (0..<2).map { i in (code: "leader-\(i)", bps: Int64.random(in: 0...1_500, using: &g)) }
        var campaigns: [(CampaignDraft, sku: String)] = []
        for i in 0..<Int.random(in: 3...6, using: &g) {
            let price = Int64.random(in: 100...5_000, using: &g)
            let closesAt = t0.adding(seconds: Int64.random(in: 3_600...(5 * 86_400), using: &g))
            let threshold = Int64.random(in: 1...20, using: &g)
            let draft = try CampaignDraft(
                sku: products[i % 2].sku, title: "Campaign \(i)", opensAt: t0, closesAt: closesAt,
                cancellationDeadline: closesAt.adding(seconds: -Int64.random(in: 0...3_600, using: &g)),
                balanceDueAt: closesAt.adding(days: Int64.random(in: 1...3, using: &g)),
                threshold: threshold, cap: Bool.random(using: &g) ? Int64.random(in: threshold...80, using: &g) : nil,
                tiers: [PriceTier(minQuantity: 1, unitPrice: Money(minor: price, currency: .cny)),
                        PriceTier(minQuantity: 25, unitPrice: Money(minor: price * 9 / 10, currency: .cny))],
                depositPerUnit: Money(minor: Int64.random(in: 0...(price * 9 / 10), using: &g), currency: .cny),
                maxPerPledge: Int64.random(in: 1...10, using: &g), forfeitDepositOnDefault: Bool.random(using: &g))
            campaigns.append((draft, products[i % 2].sku))
        }
        generator = g
        let now = t0, drafts = campaigns.map(\.0)
        let created = try app.inOneTransaction { db -> [Campaign] in
            let supplier = try db.createSupplier(name: "Simulated supplier", endpointURL: nil, webhookSecret: "whsec_simulation", at: now)
            for p in products {
                try db.createProduct(try Product(sku: p.sku, supplierID: supplier.id, name: p.sku, casePack: p.casePack,
                                                 minimumOrderQuantity: p.moq, unitCost: Money(minor: p.cost, currency: .cny), capacity: nil), at: now)
            }
            for l in leaders {
                _ = try db.registerLeader(try Leader(id: 0, code: l.code, name: l.code, pickupPoint: "Point \(l.code)", commissionBasisPoints: l.bps), at: now)
            }
            return try drafts.map { try db.createCampaign($0, publish: true, at: now) }
        }.runBlocking()
        model.leaderCodes = leaders.map(\.code)
        for c in created {
            model.campaigns[c.id] = .init(id: c.id, threshold: c.threshold, cap: c.cap, maxPerPledge: c.maxPerPledge,
                                          depositPerUnit: c.depositPerUnit.minor, closesAt: c.closesAt,
                                          cancellationDeadline: c.cancellationDeadline, balanceDueAt: c.balanceDueAt)
        }
    }

    /// Pledges are the common case; the rest come now and then.
    mutating func nextAction() -> Action {
        let weights: [(Action, Int)] = [(.pledge, 40), (.replay, 6), (.conflictingReplay, 4), (.cancel, 6), (.close, 5), (.pay, 8),
                                        (.defaultPledge, 4), (.answer, 5), (.failedJob, 4), (.advanceClock, 8)]
        var roll = Int.random(in: 0..<weights.reduce(0) { $0 + $1.1 }, using: &generator)
        for (action, weight) in weights {
            if roll < weight { return action }
            roll -= weight
        }
        return .pledge
    }

    mutating func newKey() -> String {
        keySequence += 1
        return "sim-\(keySequence)"
    }

    /// A request for a random campaign: mostly within the per-pledge limit, sometimes past it.
    mutating func randomRequest() throws -> (SimulationModel.CampaignModel, PledgeRequest) {
        let campaign = model.campaigns.values.sorted { $0.id < $1.id }.randomElement(using: &generator)!
        let quantity = Int64.random(in: 1...(campaign.maxPerPledge + (Int.random(in: 0..<8, using: &generator) == 0 ? 3 : 0)), using: &generator)
        let leader = Bool.random(using: &generator) ? model.leaderCodes.randomElement(using: &generator) : nil
        let request = try PledgeRequest(consumerID: "consumer-\(Int.random(in: 0..<50, using: &generator))", quantity: quantity,
                                        leaderCode: leader, idempotencyKey: newKey())
        return (campaign, request)
    }
}
