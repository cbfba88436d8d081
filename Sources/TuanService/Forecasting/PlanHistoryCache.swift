import Foundation
import TuanApp

/// What `db.planHistories(since:)` gives, kept between reads. A finished campaign's history
/// changes only when a pledge of it is paid, defaulted or refunded after its close (its
/// `outcome_changes` count moves) or its product's category or lead time is edited (what its
/// record reads from the product), so each read asks an index for every finished campaign's
/// count, compares, and fetches the pledges of just the campaigns that are new or changed,
/// plus the live ones. At 10 000 SKUs that is a few hundred campaigns' pledges a read instead
/// of two million rows; and while `finishedHistoryVersion` stands (nothing finished or changed since),
/// not even the counts are asked for.
final class PlanHistoryCache: @unchecked Sendable {
    private struct Kept {
        var outcomeChanges: Int64
        var product: ProductKey
        var record: CampaignHistoryRecord
    }

    /// What a history record takes from its product.
    private struct ProductKey: Equatable {
        var category: String
        var leadDays: Int64?
    }

    private struct State {
        var since: Int64 = .min
        /// `db.finishedHistoryVersion()` and the products when `kept` was last checked against the store.
        var version: Int64 = -1
        var products: [String: ProductKey] = [:]
        var kept: [Int64: Kept] = [:]
        /// Finished campaigns of the window that plans do not read (campaigns of items, of
        /// styles): looked at once, not every read.
        var skipped: Set<Int64> = []
        /// The kept records by SKU, by close then id.
        var bySKU: [String: [CampaignHistoryRecord]] = [:]
    }

    private let lock = NSLock()
    private var state = State()

    /// Exactly `db.planHistories(since:)`: per SKU, the campaigns by close time then id.
    /// Call from a store read, so the counts and the pledges come from one snapshot.
    func histories(since: Int64, in db: any Repositories) throws -> [String: [CampaignHistoryRecord]] {
        let version = try db.finishedHistoryVersion()
        var products: [String: ProductKey] = [:]
        for product in try db.products() { products[product.sku] = ProductKey(category: product.category, leadDays: product.leadDays) }
        lock.lock()
        var state = self.state
        lock.unlock()
        // Nothing finished, changed or edited since the last check, and the same window: what is
        // kept stands without asking each campaign.
        let unchanged = state.version == version && state.since == since && state.products == products
        if !unchanged { try refresh(&state, since: since, version: version, products: products, in: db) }
        // Live campaigns are read every time: their pledges are still coming.
        var result = state.bySKU
        for (sku, live) in Dictionary(grouping: try db.livePlanHistories(), by: \.sku) {
            let merged = (result[sku] ?? []) + live
            result[sku] = merged.sorted { ($0.closesAt, $0.id) < ($1.closesAt, $1.id) }
        }
        return result
    }

    /// Brings `state` up to the store: the pledges of the campaigns that are new or changed
    /// (or whose product changed), and out with those that left the window.
    private func refresh(_ state: inout State, since: Int64, version: Int64, products: [String: ProductKey],
                         in db: any Repositories) throws {
        let counts = try db.finishedCampaignChanges(since: since)
        let current = Set(counts.map(\.id))
        let stale = counts.compactMap { id, outcomeChanges -> Int64? in
            if state.skipped.contains(id) { return nil }
            if let kept = state.kept[id], kept.outcomeChanges == outcomeChanges, products[kept.record.sku] == kept.product { return nil }
            return id
        }
        if state.since != since || !stale.isEmpty || current.count != state.kept.count + state.skipped.count {
            state.kept = state.kept.filter { current.contains($0.key) }
            state.skipped = state.skipped.filter { current.contains($0) }
            // Everything stale (the first read): one range of the window, not a list of every id.
            let reloaded = try db.finishedPlanHistories(since: since, ids: !stale.isEmpty && stale.count == counts.count ? nil : stale)
            for (record, outcomeChanges) in reloaded {
                state.kept[record.id] = Kept(outcomeChanges: outcomeChanges, product: products[record.sku]!, record: record)
            }
            let planned = Set(reloaded.map(\.record.id))
            for id in stale where !planned.contains(id) {
                state.kept[id] = nil
                state.skipped.insert(id)
            }
            state.since = since
            let records = state.kept.values.map(\.record).sorted { ($0.closesAt, $0.id) < ($1.closesAt, $1.id) }
            state.bySKU = Dictionary(grouping: records, by: \.sku)
        }
        state.version = version
        state.products = products
        lock.lock()
        self.state = state
        lock.unlock()
    }
}
