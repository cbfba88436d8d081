/// A week-by-week plan for one SKU: demand that is firm (succeeded campaigns, standing
/// subscriptions), demand that is projected (open campaigns, weighted by their chance to tip
/// and by conversion), and the supplier orders an order-smoothing policy recommends.
public struct SKUPlan: Sendable {
    public struct Week: Sendable, Hashable {
        /// Seconds since the epoch of the week's Monday 00:00 UTC.
        public var start: Int64
        public var firm: Double
        public var projected: Double
        public var recommendedOrder: Int64
        /// On hand plus on order less demand, after this week, under the recommended orders.
        public var inventoryPosition: Double
        public var demand: Double { firm + projected }
    }

    public var sku: String
    public var weeks: [Week]
    public var policy: OrderPolicy
    /// Var(recommended orders) / Var(planned demand) over the horizon; nil if demand is flat.
    public var orderVarianceRatio: Double?

    /// Builds the plan. `baseline` is the trailing weekly demand: it anchors the forecast the
    /// policy smooths towards, so a plan does not start from zero.
    public init(sku: String, weekStarts: [Int64], firm: [Double], projected: [Double], baseline: [Double],
                policy: OrderPolicy = .recommended) {
        precondition(weekStarts.count == firm.count && firm.count == projected.count, "plan columns differ in length")
        self.sku = sku
        self.policy = policy
        let demand = zip(firm, projected).map { $0 + $1 }
        let anchor = baseline.isEmpty ? Summary.mean(demand) : Summary.mean(Array(baseline.suffix(12)))
        // The policy sees the trailing history first, so its moving average is warm.
        let orders = Array(policy.orders(for: baseline + demand, initialForecast: anchor).suffix(demand.count))
        var position = anchor * Double(policy.leadTime + 1)
        var weeks = [Week]()
        for index in demand.indices {
            let order = max(0, orders[index]).rounded()
            position += order - demand[index]
            weeks.append(Week(start: weekStarts[index], firm: firm[index], projected: projected[index],
                              recommendedOrder: Int64(order), inventoryPosition: position))
        }
        self.weeks = weeks
        self.orderVarianceRatio = Bullwhip.ratio(orders: weeks.map { Double($0.recommendedOrder) }, demand: demand)
    }
}
