/// Descriptive statistics over plain arrays; small enough to read at a glance and exact
/// enough for the closed-form checks in the tests.
public enum Summary {
    public static func mean(_ xs: [Double]) -> Double {
        xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count)
    }

    /// Population variance (divides by n): the bullwhip ratio compares two variances of the
    /// same window, so the choice of divisor cancels out.
    public static func variance(_ xs: [Double]) -> Double {
        guard xs.count > 1 else { return 0 }
        let m = mean(xs)
        return xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count)
    }

    /// The q-quantile of already sorted values, interpolating between order statistics
    /// (Hyndman & Fan type 7, the default of R and NumPy).
    public static func quantile(sorted xs: [Double], _ q: Double) -> Double {
        guard !xs.isEmpty else { return 0 }
        let position = max(0, min(1, q)) * Double(xs.count - 1)
        let lower = Int(position)
        let upper = min(lower + 1, xs.count - 1)
        let weight = position - Double(lower)
        return xs[lower] + (xs[upper] - xs[lower]) * weight
    }
}
