import TuanDomain

extension TuanApplication {
    /// Creates a subscription and takes its deposit, idempotently per (`scope`, key).
    public func subscribe(_ request: SubscriptionRequest, scope: String, idempotencyKey: String,
                          at now: Timestamp) -> UseCase<SubscriptionOutcome> {
        UseCase(self, .write, after: { _ in self.notify(.deadlines) }) { repositories in
            let prior = try repositories.subscription(idempotencyScope: scope, key: idempotencyKey)
            let product = try repositories.product(sku: request.sku)
            let snapshot = SubscriptionPlacement.Snapshot(
                prior: prior, product: product, leader: try request.leaderCode.flatMap { try repositories.leader(code: $0) },
                supplierRunningUnits: try product.map { try repositories.subscribedUnits(supplierID: $0.supplierID) } ?? 0)
            switch try SubscriptionPlacement.decide(request, snapshot, at: now) {
            case .replay(let id):
                return SubscriptionOutcome(subscription: try repositories.requireSubscription(id: id), replayed: true)
            case .place(let subscription, let fingerprint):
                // The first subscription pins the week zone: later deployments keep its Mondays.
                if try repositories.setting(SettingName.weekTimeZone) == nil {
                    try repositories.saveSetting(SettingName.weekTimeZone, self.subscriptionPolicy.weeks.identifier)
                }
                let saved = try repositories.insertSubscription(subscription, scope: scope, idempotencyKey: idempotencyKey,
                                                                fingerprint: fingerprint, at: now)
                try repositories.recordEvents([.subscription(.subscriptionCreated, saved)], at: now)
                if !saved.deposit.isZero {
                    var changeset = Changeset()
                    changeset.journal = [try .subscriptionDepositReceived(saved)]
                    _ = try self.apply(changeset, to: repositories, at: now)
                }
                return SubscriptionOutcome(subscription: saved, replayed: false)
            }
        }
    }

    /// A skip, pause, resume or cancellation.
    public func changeSubscription(id: Int64, _ change: SubscriptionChange, policy: SubscriptionPolicy? = nil,
                                   at now: Timestamp) -> UseCase<Subscription> {
        UseCase(self, .write) { repositories in
            let current = try repositories.requireSubscription(id: id)
            let (next, journal) = try current.applying(change, policy: policy ?? self.subscriptionPolicy, at: now)
            try repositories.saveSubscription(next, previous: current)
            try repositories.recordEvents([.subscription(.subscriptionChanged, next)], at: now)
            var changeset = Changeset()
            changeset.journal = journal
            if !changeset.isEmpty { _ = try self.apply(changeset, to: repositories, at: now) }
            return next
        }
    }

    public func subscription(id: Int64) -> UseCase<Subscription> {
        UseCase(self, .read) { try $0.requireSubscription(id: id) }
    }

    /// Subscriptions, oldest first, optionally of one SKU, consumer or status; `running` keeps those not ended.
    public func subscriptions(sku: String? = nil, consumerID: String? = nil, status: Subscription.Status? = nil,
                              running: Bool = false, limit: Int = 1_000) -> UseCase<[Subscription]> {
        UseCase(self, .read) { try $0.subscriptions(sku: sku, consumerID: consumerID, status: status, running: running, limit: limit) }
    }

    /// The weeks a subscription was delivered in, with their order.
    public func deliveries(subscriptionID: Int64) -> UseCase<[(week: Timestamp, quantity: Int64, purchaseOrderID: Int64?)]> {
        UseCase(self, .read) { try $0.deliveries(subscriptionID: subscriptionID) }
    }

    /// Weeks whose cut-off has passed at `now` and that have not been cut off yet, oldest first.
    /// A server that was down catches up week by week; nothing is skipped.
    public func subscriptionWeeksDue(policy: SubscriptionPolicy? = nil, at now: Timestamp) -> UseCase<[Timestamp]> {
        UseCase(self, .read) { try self.subscriptionWeeksDue(policy: policy ?? self.subscriptionPolicy, at: now, in: $0) }
    }

    func subscriptionWeeksDue(policy: SubscriptionPolicy, at now: Timestamp, in repositories: any Repositories) throws -> [Timestamp] {
        let latest = policy.lastCutOffWeek(at: now)
        let progress = try repositories.cutOffProgress()
        let grid = policy.weeks
        guard let start = progress.lastCutWeek.map({ grid.next(after: $0) }) ?? progress.firstRunningWeek else { return [] }
        var weeks: [Timestamp] = []
        var week = start
        while week <= latest {
            weeks.append(week)
            week = grid.next(after: week)
        }
        return weeks
    }

    /// Cuts off one week: that week's purchase orders (one per supplier, each with its outbox
    /// message), the deliveries, the subscriptions' progress and the ledger. Once per week.
    public func cutOffWeek(_ week: Timestamp, at now: Timestamp) -> UseCase<SubscriptionCutOff> {
        UseCase(self, .write, after: { cutOff in
            if !cutOff.orders.isEmpty { self.notify(.deliveries) }
            if !cutOff.cycleMembers.isEmpty { self.notify(.deadlines) }
        }) { repositories in
            try self.cutOffWeek(week, at: now, in: repositories)
        }
    }

    func cutOffWeek(_ week: Timestamp, at now: Timestamp, in repositories: any Repositories) throws -> SubscriptionCutOff {
        guard try !repositories.isCutOff(week: week) else {
            throw DomainError(.invalidTransition, "the week of \(week) was already cut off")
        }
        let candidates = try repositories.subscriptions(sku: nil, consumerID: nil, status: nil, running: true, limit: .max)
            .filter { $0.firstWeek <= week }
        var products: [String: Product] = [:]
        for sku in Set(candidates.map(\.sku)) { products[sku] = try repositories.requireProduct(sku: sku) }
        guard subscriptionPolicy.weeks.isStart(week) else {
            throw DomainError.invalid("week", "\(week) is not a week start (Monday 00:00, \(subscriptionPolicy.weeks))")
        }
        var cycles: [Int64: OrderCycle] = [:]
        for supplierID in Set(products.values.map(\.supplierID)) {
            let cycle = try repositories.requireSupplier(id: supplierID).orderCycle
            if cycle != .immediate { cycles[supplierID] = cycle }
        }
        let cutOff = try SubscriptionCutOff.cut(week: week, subscriptions: candidates, products: products,
                                                weeks: subscriptionPolicy.weeks, cycles: cycles, at: now)
        let saved = try repositories.saveCutOff(cutOff, week: week, previous: candidates, at: now)
        try repositories.recordEvents(saved.events, at: now)
        return saved
    }
}

extension TuanApplication {
    /// The zone the stored subscription weeks are on; nil for a database that has never had one.
    public func weekTimeZone() -> UseCase<String?> {
        UseCase(self, .read) { try $0.setting(SettingName.weekTimeZone) }
    }

    /// Records `zone` as the week zone of a database that has none yet (a fresh one: the
    /// migration gave UTC to every database that already had subscriptions). Returns the zone
    /// in force afterwards.
    public func adoptWeekTimeZone(_ zone: String) -> UseCase<String> {
        UseCase(self, .write) { repositories in
            if let stored = try repositories.setting(SettingName.weekTimeZone) { return stored }
            try repositories.saveSetting(SettingName.weekTimeZone, zone)
            return zone
        }
    }

    /// Moves every stored subscription week from `from`'s Mondays to the same dates' Mondays
    /// on `to` in one transaction, and records `to`: the same calendar weeks are delivered,
    /// none skipped or doubled; cut-offs still ahead follow the new zone's clock. Returns the
    /// number of stored weeks moved.
    public func moveSubscriptionWeeks(from: WeekGrid, to: WeekGrid) -> UseCase<Int> {
        UseCase(self, .write, after: { _ in self.notify(.deadlines) }) { repositories in
            let stored = try repositories.setting(SettingName.weekTimeZone) ?? "UTC"
            guard stored == from.identifier else {
                throw DomainError(.conflict, field: "time_zone", "the subscription weeks are on \(stored), not \(from.identifier)")
            }
            let moved = try repositories.moveSubscriptionWeeks { from.moving($0, to: to) }
            try repositories.saveSetting(SettingName.weekTimeZone, to.identifier)
            return moved
        }
    }
}
