/// What share of pledged units ends paid, learned from settled pledges and split by the two
/// things that change it most: how much skin the buyer put down (deposit as a share of the
/// price) and how the pledge came in (through a group leader or directly).
///
/// Rates are smoothed towards the overall rate (itself smoothed towards a 90% prior) with
/// pseudo-counts, so a thin bucket borrows strength instead of swinging to 0% or 100%.
public struct ConversionModel: Sendable {
    public enum DepositBand: String, Sendable, CaseIterable {
        case none, low, medium, high

        /// none: no deposit; low: under 10% of the price; medium: 10% to under 30%; high: 30% or more.
        public init(depositPerUnitMinor: Int64, unitPriceMinor: Int64) {
            guard depositPerUnitMinor > 0 else { self = .none; return }
            let permille = depositPerUnitMinor * 1000 / max(1, unitPriceMinor)
            self = permille < 100 ? .low : permille < 300 ? .medium : .high
        }
    }

    public enum Channel: String, Sendable, CaseIterable {
        case leader, direct
    }

    public struct Segment: Hashable, Sendable {
        public var band: DepositBand
        public var channel: Channel
        public init(band: DepositBand, channel: Channel) {
            self.band = band
            self.channel = channel
        }
    }

    /// A pledge that stood at a successful close and was then settled: paid, or defaulted.
    public struct Outcome: Sendable {
        public var segment: Segment
        public var units: Int64
        public var paid: Bool
        public init(segment: Segment, units: Int64, paid: Bool) {
            self.segment = segment
            self.units = units
            self.paid = paid
        }
    }

    public struct Rate: Sendable, Hashable {
        public var segment: Segment
        public var paidUnits: Int64
        public var settledUnits: Int64
        public var rate: Double
    }

    public static let priorRate = 0.9
    static let priorWeight = 20.0
    static let segmentWeight = 50.0

    public private(set) var overall: Double
    public private(set) var rates: [Segment: Rate]

    public init(outcomes: [Outcome]) {
        var paid: [Segment: Int64] = [:], settled: [Segment: Int64] = [:]
        for outcome in outcomes {
            settled[outcome.segment, default: 0] += outcome.units
            if outcome.paid { paid[outcome.segment, default: 0] += outcome.units }
        }
        let totalPaid = Double(paid.values.reduce(0, +)), totalSettled = Double(settled.values.reduce(0, +))
        overall = (totalPaid + Self.priorRate * Self.priorWeight) / (totalSettled + Self.priorWeight)
        var rates: [Segment: Rate] = [:]
        for band in DepositBand.allCases {
            for channel in Channel.allCases {
                let segment = Segment(band: band, channel: channel)
                let p = paid[segment] ?? 0, s = settled[segment] ?? 0
                rates[segment] = Rate(segment: segment, paidUnits: p, settledUnits: s,
                                      rate: (Double(p) + overall * Self.segmentWeight) / (Double(s) + Self.segmentWeight))
            }
        }
        self.rates = rates
    }

    public func rate(_ segment: Segment) -> Double { rates[segment]?.rate ?? overall }
}
