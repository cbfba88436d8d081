/// The documented ranges of every amount and quantity the API accepts. They are chosen so
/// that no sum over one campaign or one order line can leave Int64: a campaign counts at
/// most `campaignUnits` units at most `unitAmountMinor` each, 10^18 minor units, under
/// Int64.max (about 9.22 × 10^18). Sums across campaigns (the ledger's running balances)
/// are not bounded by input: those are checked where they are added, and a write that would
/// push one out of range is refused with `amount_overflow` before anything is stored.
public enum Bounds {
    /// Largest amount per unit: a price, a cost, a deposit (10^9 minor units: CNY 10 000 000.00).
    public static let unitAmountMinor: Int64 = 1_000_000_000
    /// Largest quantity of one pledge or one supplier answer line.
    public static let pledgeQuantity: Int64 = 1_000_000
    /// Largest quantity of one subscription delivery.
    public static let subscriptionQuantity: Int64 = 10_000
    /// Largest number of units one campaign counts (threshold, cap, tier minimums, pledged
    /// total) and one order line orders (after rounding to case pack and MOQ).
    public static let campaignUnits: Int64 = 1_000_000_000
    /// Largest number of units one supplier's running subscriptions may ask for together (one
    /// delivery each). Every week's order to that supplier then costs at most 10^18 minor
    /// units, however its units are spread over SKUs, so a cut-off can never overflow.
    public static let subscriptionUnitsPerSupplier: Int64 = campaignUnits
    /// Largest case pack.
    public static let casePack: Int64 = 1_000_000
    /// The latest instant accepted as input: the last second of 9000, so that derived
    /// instants (a balance due a week after the close) still format as four-digit years.
    public static let latestInstant = Timestamp(seconds: 221_876_927_999)
    /// The earliest instant accepted as input: 1970-01-01.
    public static let earliestInstant = Timestamp(seconds: 0)
}
