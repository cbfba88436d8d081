/// How one campaign's committed quantity moved over its window: every pledge adds its units
/// when it is placed and every cancellation takes them back. Times are seconds since the
/// campaign opened, so curves of campaigns with different windows compare by elapsed share.
public struct PledgeCurve: Sendable, Hashable {
    public struct Change: Sendable, Hashable {
        public var offset: Int64
        public var units: Int64

        public init(offset: Int64, units: Int64) {
            self.offset = offset
            self.units = units
        }
    }

    public var campaignID: Int64
    public var sku: String
    public var category: String
    public var opensAt: Int64
    public var closesAt: Int64
    public var threshold: Int64
    public var cap: Int64?
    /// Sorted by offset; only changes inside the window are kept.
    public private(set) var changes: [Change]

    public init(campaignID: Int64, sku: String, category: String, opensAt: Int64, closesAt: Int64,
                threshold: Int64, cap: Int64?, changes: [Change]) {
        self.campaignID = campaignID
        self.sku = sku
        self.category = category
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.threshold = threshold
        self.cap = cap
        let duration = max(1, closesAt - opensAt)
        self.changes = changes.filter { $0.offset >= 0 && $0.offset < duration }.sorted { $0.offset < $1.offset }
    }

    public var duration: Int64 { max(1, closesAt - opensAt) }

    /// Net committed units after `offset` seconds (changes at exactly `offset` included).
    public func quantity(through offset: Int64) -> Int64 {
        var total: Int64 = 0
        for change in changes {
            if change.offset > offset { break }
            total += change.units
        }
        return total
    }

    public func quantity(atElapsed fraction: Double) -> Int64 {
        quantity(through: offset(atElapsed: fraction))
    }

    /// What was committed when the window closed.
    public var finalQuantity: Int64 { changes.reduce(0) { $0 + $1.units } }

    public func offset(atElapsed fraction: Double) -> Int64 {
        Int64((Double(duration) * max(0, min(1, fraction))).rounded(.down))
    }

    /// The curve as it looked when `fraction` of the window had passed: what a forecast made
    /// at that moment could know.
    public func truncated(atElapsed fraction: Double) -> PledgeCurve {
        let limit = offset(atElapsed: fraction)
        var copy = self
        copy.changes = changes.filter { $0.offset <= limit }
        return copy
    }

    /// Sold out: the cap, not demand, ended the curve, so its shape says little about arrivals.
    public var reachedCap: Bool { cap.map { finalQuantity >= $0 } ?? false }

    /// Units added in each of `buckets` equal slices of the window, net of cancellations.
    public func unitsPerBucket(_ buckets: Int, through fraction: Double = 1) -> [Int64] {
        var counts = [Int64](repeating: 0, count: buckets)
        let limit = offset(atElapsed: fraction)
        for change in changes where change.offset <= limit {
            let index = min(buckets - 1, Int(Double(change.offset) / Double(duration) * Double(buckets)))
            counts[index] += change.units
        }
        return counts
    }

    /// Σq and Σq² over the pledges placed (q = units per pledge). Their ratio E[q²]/E[q] is the
    /// factor by which a compound-Poisson stream of pledges is noisier than one of single units.
    public var pledgeSizeMoments: (sum: Double, sumOfSquares: Double) {
        var sum = 0.0, squares = 0.0
        for change in changes where change.units > 0 {
            sum += Double(change.units)
            squares += Double(change.units) * Double(change.units)
        }
        return (sum, squares)
    }
}
