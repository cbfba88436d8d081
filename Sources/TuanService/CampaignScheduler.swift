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
        do {
            let lapsed = try await store.read { db in try db.lapsedTeams(at: now) }
            var expired = 0
            for id in lapsed {
                do {
                    let expiry = try await store.write { db in try db.expireTeam(id: id, at: now) }
                    log("team \(expiry.team.code) expired unfilled: \(expiry.refundedPledges.count) pledge(s) refunded")
                    expired += 1
                } catch let error as DomainError where error.code == .invalidTransition {
                    continue  // filled or closed in the meantime
                }
            }
            return expired
        } catch {
            log("scheduler: \(error)")
            return 0
        }
    }

    /// Cuts off every subscription week whose cut-off has passed, one transaction per week;
    /// returns the number of purchase orders made.
    @discardableResult
    public func cutOffSubscriptions() async -> Int {
        let now = clock(), policy = subscriptionPolicy
        do {
            let weeks = try await store.read { db in try db.subscriptionWeeksDue(policy: policy, at: now) }
            var orders = 0
            for week in weeks {
                let cutOff: SubscriptionCutOff
                do {
                    cutOff = try await store.write { db in try db.cutOffSubscriptions(week: week, at: now) }
                } catch let error as DomainError where error.code == .invalidTransition {
                    continue  // cut off by another caller in the meantime
                }
                log("subscriptions for the week of \(week) cut off: \(cutOff.deliveries.count) deliveries, \(cutOff.orders.count) order(s)")
                orders += cutOff.orders.count
            }
            if orders > 0 { onPurchaseOrder() }
            return orders
        } catch {
            log("scheduler: \(error)")
            return 0
        }
    }

    /// Closes every open campaign whose deadline has passed; returns how many it closed.
    @discardableResult
    public func closeDueCampaigns() async -> Int {
        let now = clock()
        do {
            let due = try await store.read { db in try db.campaignsDueToClose(at: now) }
            var closed = 0
            for id in due {
                do {
                    let settlement = try await store.write { db in try db.closeCampaign(id: id, reason: .closed, at: now) }
                    log("campaign \(id) closed at its deadline: \(settlement.campaign.status.rawValue)")
                    if settlement.purchaseOrder != nil { onPurchaseOrder() }
                    closed += 1
                } catch let error as DomainError where error.code == .invalidTransition {
                    continue  // closed by someone else in the meantime
                }
            }
            return closed
        } catch {
            log("scheduler: \(error)")
            return 0
        }
    }
}
