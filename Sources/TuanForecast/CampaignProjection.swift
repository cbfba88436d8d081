/// What a campaign will likely end at, made at one moment of its window.
public struct CampaignProjection: Sendable, Hashable {
    public struct CurvePoint: Sendable, Hashable {
        public var elapsed: Double
        public var p10: Double
        public var p50: Double
        public var p90: Double
    }

    public var campaignID: Int64
    public var elapsed: Double
    public var committed: Int64
    public var threshold: Int64
    public var cap: Int64?
    /// Final committed quantity at close.
    public var p10: Double
    public var p50: Double
    public var p90: Double
    public var mean: Double
    /// Probability that the final quantity reaches the threshold.
    public var tipProbability: Double
    /// E[final · 1{tips}]: the units a supplier should expect, failures counting as zero.
    public var expectedTippedQuantity: Double
    /// Quantiles of the committed quantity from now to the close, for charts.
    public var path: [CurvePoint]
    /// How much past the model learned from: campaigns in the category, and whether the
    /// prior (no history) was used.
    public var historyCampaigns: Int
    public var usedPrior: Bool
}
