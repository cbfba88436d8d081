import Foundation
import Synchronization
import TuanDomain
import TuanStore

/// Closes campaigns at their deadline. Runs as a task that sleeps between checks; the
/// database work goes through the store's own threads, never blocking the task pool.
public final class CampaignScheduler: Sendable {
    private let store: Store
    private let clock: @Sendable () -> Timestamp
    private let interval: Duration
    private let log: @Sendable (String) -> Void
    private let onPurchaseOrder: @Sendable () -> Void
    private let task = Mutex<Task<Void, Never>?>(nil)

    public init(store: Store, clock: @escaping @Sendable () -> Timestamp, interval: Duration = .seconds(1),
                log: @escaping @Sendable (String) -> Void, onPurchaseOrder: @escaping @Sendable () -> Void = {}) {
        self.store = store
        self.clock = clock
        self.interval = interval
        self.log = log
        self.onPurchaseOrder = onPurchaseOrder
    }

    public func start() {
        let running = Task { [self] in
            while !Task.isCancelled {
                await closeDueCampaigns()
                try? await Task.sleep(for: interval)
            }
        }
        task.withLock { $0 = running }
    }

    public func stop() {
        task.withLock { $0?.cancel(); $0 = nil }
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
