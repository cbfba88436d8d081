import Foundation
import Synchronization
import TuanApp
import TuanDomain

/// The time-driven work: closes campaigns at their deadline, expires team-buy teams that did
/// not fill in time, defaults confirmed pledges whose balance was not paid by its due time
/// (the default sweep), and cuts off subscription weeks. Runs as a task that sleeps until the
/// next deadline (`TuanApplication.nextDeadline`), or until `wake()` says a write may have
/// brought one nearer; the database work goes through the store's own threads, never the pool.
public final class CampaignScheduler: Sendable {
    /// The kinds of due work, as named in logs and in `tuan_scheduler_failures_total{kind}`.
    public enum Kind: String, Sendable, CaseIterable {
        case teamExpiry = "team_expiry"
        case campaignClose = "campaign_close"
        case pledgeDefault = "pledge_default"
        case subscriptionCutOff = "subscription_cut_off"
        case balanceReminder = "balance_reminder"
        case supplierCutOff = "supplier_cut_off"
    }

    private let app: TuanApplication
    private let clock: @Sendable () -> Timestamp
    /// The shortest sleep (items backing off stay due) and the longest (work another process
    /// scheduled, which cannot wake this one).
    private let interval: Duration, maximumSleep: Duration
    private let wakeUp = WakeUpSignal()
    private let log: @Sendable (String) -> Void
    private let subscriptionPolicy: SubscriptionPolicy
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let backOff: SchedulerBackOff
    private let failureCounts = Mutex<[Kind: Int64]>([:])

    public init(app: TuanApplication, clock: @escaping @Sendable () -> Timestamp, interval: Duration = .seconds(1),
                maximumSleep: Duration = .seconds(60),
                log: @escaping @Sendable (String) -> Void,
                subscriptionPolicy: SubscriptionPolicy? = nil,
                retryAfter: Duration = .seconds(5), maximumBackOff: Duration = .seconds(300)) {
        self.subscriptionPolicy = subscriptionPolicy ?? app.subscriptionPolicy
        self.app = app
        self.clock = clock
        self.interval = interval
        self.maximumSleep = maximumSleep
        self.log = log
        self.backOff = SchedulerBackOff(first: retryAfter, maximum: maximumBackOff)
    }

    public func start() {
        let running = Task { [self] in
            while !Task.isCancelled {
                await runDueWork()
                await wakeUp.wait(for: await sleepUntilNextDeadline())
            }
        }
        task.withLock { $0 = running }
    }

    public func stop() {
        task.withLock { $0?.cancel(); $0 = nil }
        wakeUp.signal()
    }

    /// A write may have brought a deadline nearer (a campaign created, a subscription started).
    public func wake() { wakeUp.signal() }

    /// Until the next deadline, between `interval` and `maximumSleep`. Timestamps count whole
    /// seconds, so the sleep ends just past the second the deadline names.
    func sleepUntilNextDeadline() async -> Duration {
        guard let next = try? await app.nextDeadline(policy: subscriptionPolicy).run() else { return maximumSleep }
        let seconds = next.seconds - clock().seconds + 1
        return min(maximumSleep, max(interval, .seconds(seconds)))
    }

    /// Failed attempts so far, by kind of work (for `/metrics`).
    public var failures: [Kind: Int64] { failureCounts.withLock { $0 } }

    /// Everything due now, in the order it matters: teams lapse before their campaign closes,
    /// and a campaign closes before its unpaid pledges can default.
    public func runDueWork() async {
        await expireLapsedTeams()
        await closeDueCampaigns()
        await remindBalancesDue()
        await defaultOverduePledges()
        await cutOffSubscriptions()
        await cutOffSupplierOrders()
    }

    /// Sends every supplier's day orders whose cut-off has passed (after the closes and the
    /// subscription weeks that feed them), one transaction per supplier and cut-off; returns
    /// the number of purchase orders sent.
    @discardableResult
    public func cutOffSupplierOrders() async -> Int {
        let now = clock()
        return await applyDue(.supplierCutOff, app.dueCutOffs(at: now), { self.app.cutOffSupplierOrders(supplierID: $0.supplierID, cutOffAt: $0.cutOffAt, at: now) }) { orders in
            self.log("supplier cut-off: \(orders.count) order(s) (\(orders.map(\.number).joined(separator: ", ")))")
        }.reduce(0) { $0 + $1.count }
    }

    /// The default sweep: every confirmed pledge of a succeeded campaign still unpaid at the
    /// campaign's `balance_due_at` defaults, one transaction each. Its deposit is forfeited or
    /// refunded as the campaign says, and any leader commission on it is reversed. Returns how many.
    @discardableResult
    public func defaultOverduePledges() async -> Int {
        let now = clock()
        return await applyDue(.pledgeDefault, app.overduePledges(at: now), { self.app.defaultPledge(id: $0, at: now) }) { pledge in
            self.log("pledge \(pledge.id) of campaign \(pledge.campaignID) defaulted: balance not paid by its due time")
        }.count
    }

    /// Writes `pledge.balance_due` for the unpaid pledges of each campaign whose reminder time
    /// has come, a chunk of pledges a transaction; returns how many reminders it wrote.
    @discardableResult
    public func remindBalancesDue() async -> Int {
        let now = clock()
        let reminded = await applyDue(.balanceReminder, app.campaignsDueForBalanceReminder(at: now), { campaignID in
            self.app.remindBalances(campaignID: campaignID, at: now)
        }) { count in
            if count > 0 { self.log("balance reminders: \(count) pledge(s) told their balance is due") }
        }
        // A campaign with more pledges than a chunk is due again at once: the next pass goes on.
        if reminded.contains(where: { $0 == self.app.settlementChunk }) { wake() }
        return reminded.reduce(0, +)
    }

    /// Expires every team-buy team past its window; returns how many.
    @discardableResult
    public func expireLapsedTeams() async -> Int {
        let now = clock()
        return await applyDue(.teamExpiry, app.lapsedTeams(at: now), { self.app.expireTeam(id: $0, at: now) }) { expiry in
            self.log("team \(expiry.team.code) expired unfilled: \(expiry.refundedPledges.count) pledge(s) refunded")
        }.count
    }

    /// Cuts off every subscription week whose cut-off has passed, one transaction per week;
    /// returns the number of purchase orders made.
    @discardableResult
    public func cutOffSubscriptions() async -> Int {
        let now = clock(), policy = subscriptionPolicy
        let cutOffs = await applyDue(.subscriptionCutOff, app.subscriptionWeeksDue(policy: policy, at: now),
                                     { self.app.cutOffWeek($0, at: now) }) { cutOff in
            self.log("subscriptions for the week of \(cutOff.week) cut off: \(cutOff.deliveries.count) deliveries, \(cutOff.orders.count) order(s)")
        }
        let orders = cutOffs.reduce(0) { $0 + $1.orders.count }
        return orders
    }

    /// Closes every open campaign whose deadline has passed; returns how many it closed.
    @discardableResult
    public func closeDueCampaigns() async -> Int {
        let now = clock()
        return await applyDue(.campaignClose, app.campaignsDueToClose(at: now),
                              { self.app.closeCampaign(id: $0, reason: .closed, at: now) }) {
            self.log("campaign \($0.campaign.id) closed at its deadline: \($0.campaign.status.rawValue)")
        }.count
    }

    /// Reads what is due, then applies each item in a transaction of its own and reports it. An
    /// item someone else handled in the meantime (`invalid_transition`) is skipped. Any other
    /// failure is that item's alone: it is logged, counted and retried after a back-off that
    /// doubles up to a maximum, while every other due item goes ahead. One campaign that
    /// cannot close must never keep the campaigns due after it open.
    private func applyDue<Key: Sendable & Hashable, Outcome: Sendable>(
        _ kind: Kind,
        _ due: UseCase<[Key]>,
        _ apply: (Key) -> UseCase<Outcome>,
        report: (Outcome) -> Void
    ) async -> [Outcome] {
        let keys: [Key]
        do {
            keys = try await due.run()
        } catch {
            recordFailure(kind)
            log("scheduler: cannot list the \(kind.rawValue) work due: \(error)")
            return []
        }
        var applied: [Outcome] = []
        for key in keys {
            let item = "\(kind.rawValue) \(key)"
            guard backOff.isDue(item) else { continue }
            do {
                let outcome = try await apply(key).run()
                backOff.succeeded(item)
                report(outcome)
                applied.append(outcome)
            } catch let error as DomainError where error.code == .invalidTransition {
                backOff.succeeded(item)
            } catch {
                let wait = backOff.failed(item)
                recordFailure(kind)
                log("scheduler: \(item) failed, retrying in \(wait): \(error)")
            }
        }
        return applied
    }

    private func recordFailure(_ kind: Kind) {
        failureCounts.withLock { $0[kind, default: 0] += 1 }
    }
}

/// Wakes a sleeping task early; a signal sent while nobody waits is kept for the next wait.
final class WakeUpSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state.waiter = nil }
            if state.waiter == nil { state.pending = true }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns after `duration`, or sooner when signalled (at worst one early return later,
    /// if the timer and a signal cross).
    func wait(for duration: Duration) async {
        let timer = Task {
            do {
                try await Task.sleep(for: duration)
                self.signal()
            } catch {}
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.pending { state.pending = false; return true }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
        timer.cancel()
    }
}

/// When each failing item may be tried again: after `first`, doubling per failure up to
/// `maximum`. Bounded: past `capacity` items, the entry due soonest is forgotten to make room
/// (it is then simply tried on the next round, a little early).
final class SchedulerBackOff: Sendable {
    private struct Entry { var failures: Int; var retryAt: ContinuousClock.Instant }
    private let entries = Mutex<[String: Entry]>([:])
    private let first: Duration, maximum: Duration
    private let capacity = 10_000

    init(first: Duration, maximum: Duration) {
        self.first = first
        self.maximum = maximum
    }

    func isDue(_ item: String) -> Bool {
        entries.withLock { $0[item].map { $0.retryAt <= .now } ?? true }
    }

    func succeeded(_ item: String) { _ = entries.withLock { $0.removeValue(forKey: item) } }

    /// Records a failure; returns how long until the next try.
    func failed(_ item: String) -> Duration {
        entries.withLock { entries in
            let failures = (entries[item]?.failures ?? 0) + 1
            var wait = first
            for _ in 1..<min(failures, 30) where wait < maximum { wait *= 2 }
            wait = min(wait, maximum)
            if entries.count >= capacity, entries[item] == nil,
               let oldest = entries.min(by: { $0.value.retryAt < $1.value.retryAt })?.key {
                entries[oldest] = nil
            }
            entries[item] = Entry(failures: failures, retryAt: .now + wait)
            return wait
        }
    }
}
