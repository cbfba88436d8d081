/// Bullwhip = Var(orders sent upstream) / Var(demand received) over the same window
/// (Lee, Padmanabhan & Whang 1997). Above 1 the stage amplifies demand; below 1 it smooths it.
public enum Bullwhip {
    /// nil when demand did not vary at all (the ratio is undefined).
    public static func ratio(orders: [Double], demand: [Double]) -> Double? {
        let demandVariance = Summary.variance(demand)
        guard demandVariance > 0, orders.count > 1 else { return nil }
        return Summary.variance(orders) / demandVariance
    }

    /// The ratio a policy would have produced on this demand, skipping `warmUp` periods while
    /// its forecast fills.
    public static func ratio(of policy: OrderPolicy, on demand: [Double], warmUp: Int = 0) -> Double? {
        let orders = policy.orders(for: demand, initialForecast: Summary.mean(Array(demand.prefix(max(1, warmUp)))))
        let skip = min(warmUp, demand.count)
        return ratio(orders: Array(orders.dropFirst(skip)), demand: Array(demand.dropFirst(skip)))
    }
}
