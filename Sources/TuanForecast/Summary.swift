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

    /// The q-quantiles of unsorted values, exactly as `quantile(sorted:)` gives them from the
    /// sorted values: the order statistics they need are found by selection (Hoare's
    /// quickselect, linear on average) instead of sorting every value.
    public static func quantiles(unsorted values: [Double], _ qs: [Double]) -> [Double] {
        guard !values.isEmpty else { return qs.map { _ in 0 } }
        if let counted = countedQuantiles(values, qs) { return counted }
        var xs = values
        let n = xs.count
        var wanted: [Int] = []
        for q in qs {
            let lower = Int(max(0, min(1, q)) * Double(n - 1))
            wanted += [lower, min(lower + 1, n - 1)]
        }
        var found: [Int: Double] = [:]
        var from = 0
        for position in Set(wanted).sorted() {
            select(&xs, position, from: from)
            found[position] = xs[position]
            from = position
        }
        return qs.map { q in
            let position = max(0, min(1, q)) * Double(n - 1)
            let lower = Int(position), upper = min(lower + 1, n - 1)
            let weight = position - Double(lower)
            return found[lower]! + (found[upper]! - found[lower]!) * weight
        }
    }

    /// Whole numbers over a narrow range (a projection's sample of units: thousands of draws,
    /// a few hundred distinct values) are counted, not compared: one pass for the range, one
    /// to count, one walk over the counts. nil for anything else.
    static func countedQuantiles(_ values: [Double], _ qs: [Double]) -> [Double]? {
        var low = values[0], high = values[0]
        for value in values {
            guard value == value.rounded(), abs(value) < 1e15 else { return nil }
            low = min(low, value)
            high = max(high, value)
        }
        let width = high - low + 1
        guard width <= Double(max(1_024, values.count * 4)) else { return nil }
        var counts = [Int](repeating: 0, count: Int(width))
        for value in values { counts[Int(value - low)] += 1 }
        let n = values.count
        // The value at sorted position `p`: the first whose running count passes it.
        func statistic(_ position: Int) -> Double {
            var seen = 0
            for (offset, count) in counts.enumerated() {
                seen += count
                if seen > position { return low + Double(offset) }
            }
            return high
        }
        return qs.map { q in
            let position = max(0, min(1, q)) * Double(n - 1)
            let lower = Int(position), upper = min(lower + 1, n - 1)
            let weight = position - Double(lower)
            let a = statistic(lower), b = upper == lower ? a : statistic(upper)
            return a + (b - a) * weight
        }
    }

    /// Puts the k-th smallest of `xs[from...]` at `k`, smaller ones before it and larger after.
    /// `xs[..<from]` must already hold only values at most those from `from` on.
    static func select(_ xs: inout [Double], _ k: Int, from: Int) {
        var low = from, high = xs.count - 1
        while low < high {
            // Median of three keeps sorted and constant runs from going quadratic.
            let middle = low + (high - low) / 2
            if xs[middle] < xs[low] { xs.swapAt(middle, low) }
            if xs[high] < xs[low] { xs.swapAt(high, low) }
            if xs[high] < xs[middle] { xs.swapAt(high, middle) }
            let pivot = xs[middle]
            var i = low, j = high
            while i <= j {
                while xs[i] < pivot { i += 1 }
                while xs[j] > pivot { j -= 1 }
                if i <= j { xs.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { high = j } else if k >= i { low = i } else { return }
        }
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
