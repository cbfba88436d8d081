import Foundation
import Synchronization
import TuanDomain
import TuanStore

/// The time-driven work: closes campaigns at their deadline, expires team-buy teams that did
/// not fill in time, and cuts off subscription weeks. Runs as a task that sleeps between
/// checks; the database work goes through the store's own threads, never blocking the task pool.
public final class CampaignScheduler: Sendable {
    private let store: Store
    private let clock: @Sendable () -> Timestamp
    private let interval: Duration
    private let log: @Sendable (String) -> Void
    private let onPurchaseOrder: @Sendable () -> Void
    private let subscriptionPolicy: SubscriptionPolicy
    private let task = Mutex<Task<Void, Never>?>(nil)

    public init(store: Store, clock: @escaping @Sendable () -> Timestamp, interval: Duration = .seconds(1),
                log: @escaping @Sendable (String) -> Void, onPurchaseOrder: @escaping @Sendable () -> Void = {},
                subscriptionPolicy: SubscriptionPolicy = .standard) {
        self.subscriptionPolicy = subscriptionPolicy
        self.store = store
        self.clock = clock
        self.interval = interval
        self.log = log
        self.onPurchaseOrder = onPurchaseOrder
    }

    public func start() {
        let running = Task { [self] in
            while !Task.isCancelled {
                await runDueWork()
                try? await Task.sleep(for: interval)
            }
        }
        task.withLock { $0 = running }
    }

    public func stop() {
        task.withLock { $0?.cancel(); $0 = nil }
    }

    /// Everything due now, in the order it matters: teams lapse before their campaign closes.
    public func runDueWork() async {
        await expireLapsedTeams()
        await closeDueCampaigns()
        await cutOffSubscriptions()
    }

    /// Expires every team-buy team past its window; returns how many.
    @discardableResult
    public func expireLapsedTeams() async -> Int {
        let now = clock()
        return await applyDue({ try $0.lapsedTeams(at: now) }, { db, id in try db.expireTeam(id: id, at: now) }) { expiry in
            self.log("team \(expiry.team.code) expired unfilled: \(expiry.refundedPledges.count) pledge(s) refunded")
        }.count
    }

    /// Cuts off every subscription week whose cut-off has passed, one transaction per week;
    /// returns the number of purchase orders made.
    @discardableResult
    public func cutOffSubscriptions() async -> Int {
        let now = clock(), policy = subscriptionPolicy
        let cutOffs = await applyDue({ try $0.subscriptionWeeksDue(policy: policy, at: now) },
                                     { db, week in try db.cutOffSubscriptions(week: week, at: now) }) { cutOff in
            self.log("subscriptions for the week of \(cutOff.week) cut off: \(cutOff.deliveries.count) deliveries, \(cutOff.orders.count) order(s)")
        }
        let orders = cutOffs.reduce(0) { $0 + $1.orders.count }
        if orders > 0 { onPurchaseOrder() }
        return orders
    }

    /// Closes every open campaign whose deadline has passed; returns how many it closed.
    @discardableResult
    public func closeDueCampaigns() async -> Int {
        let now = clock()
        return await applyDue({ try $0.campaignsDueToClose(at: now) }, { db, id in try db.closeCampaign(id: id, reason: .closed, at: now) }) {
            self.log("campaign \($0.campaign.id) closed at its deadline: \($0.campaign.status.rawValue)")
            if $0.purchaseOrder != nil { self.onPurchaseOrder() }
        }.count
    }

    /// Reads what is due, then applies each item in a transaction of its own and reports it. An
    /// item someone else handled in the meantime (`invalid_transition`) is skipped; any other
    /// error is logged and ends the round with nothing counted, to be retried on the next tick.
    private func applyDue<Key: Sendable, Outcome: Sendable>(
        _ due: @escaping @Sendable (Database) throws -> [Key],
        _ apply: @escaping @Sendable (Database, Key) throws -> Outcome,
        report: (Outcome) -> Void
    ) async -> [Outcome] {
        do {
            var applied: [Outcome] = []
            for key in try await store.read(due) {
                do {
                    let outcome = try await store.write { db in try apply(db, key) }
                    report(outcome)
                    applied.append(outcome)
                } catch let error as DomainError where error.code == .invalidTransition {
                    continue
                }
            }
            return applied
        } catch {
            log("scheduler: \(error)")
            return []
        }
    }
}
