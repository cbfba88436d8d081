import TuanDomain

/// Several use cases in one transaction, for callers that must commit them together or not at
/// all (the simulator loads a whole simulated campaign at once). Offers the use cases, never
/// the repositories: the rules run exactly as they do one transaction at a time.
public struct AppTransaction {
    let app: TuanApplication
    let repositories: any Repositories

    public func createSupplier(name: String, endpointURL: String?, webhookSecret: String, at now: Timestamp) throws -> Supplier {
        try app.createSupplier(name: name, endpointURL: endpointURL, webhookSecret: webhookSecret, at: now, in: repositories)
    }

    @discardableResult
    public func createProduct(_ product: Product, at now: Timestamp) throws -> Product {
        try app.createProduct(product, at: now, in: repositories)
    }

    public func registerLeader(_ leader: Leader, at now: Timestamp) throws -> Leader {
        try app.registerLeader(leader, at: now, in: repositories)
    }

    public func products() throws -> [Product] { try repositories.products() }

    /// For tests that drive the use cases inside a transaction they hold.
    public init(app: TuanApplication, repositories: any Repositories) {
        self.app = app
        self.repositories = repositories
    }

    public func createCampaign(_ draft: CampaignDraft, publish: Bool, at now: Timestamp) throws -> Campaign {
        try app.createCampaign(draft, publish: publish, at: now, in: repositories)
    }

    public func placePledge(campaignID: Int64, request: PledgeRequest, scope: String, at now: Timestamp) throws -> PledgeOutcome {
        try app.placePledge(campaignID: campaignID, request: request, scope: scope, at: now, in: repositories)
    }

    public func cancelPledge(id: Int64, at now: Timestamp) throws -> (Pledge, Campaign) {
        try app.cancelPledge(id: id, at: now, in: repositories)
    }

    public func closeCampaign(id: Int64, reason: CampaignSettlement.Reason, at now: Timestamp) throws -> CampaignClose {
        try app.closeCampaign(id: id, reason: reason, at: now, in: repositories)
    }

    public func pledges(campaignID: Int64, status: PledgeStatus?) throws -> [Pledge] {
        try repositories.pledges(campaignID: campaignID, status: status)
    }

    public func payBalance(pledgeID: Int64, at now: Timestamp) throws -> Pledge {
        try app.payBalance(pledgeID: pledgeID, at: now, in: repositories)
    }

    public func defaultPledge(id: Int64, at now: Timestamp) throws -> Pledge {
        try app.defaultPledge(id: id, at: now, in: repositories)
    }
}

extension TuanApplication {
    /// Runs `body`'s use cases in one write transaction.
    public func inOneTransaction<T: Sendable>(_ body: @escaping @Sendable (AppTransaction) throws -> T) -> UseCase<T> {
        UseCase(self, .write, after: { _ in self.notify(.deadlines); self.notify(.deliveries) }) { try body(AppTransaction(app: self, repositories: $0)) }
    }
}
