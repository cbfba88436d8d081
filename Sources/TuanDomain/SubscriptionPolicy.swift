/// When subscription periods are cut off and how much notice a cancellation needs.
public struct SubscriptionPolicy: Hashable, Sendable {
    /// A period (a delivery week) is cut off this long before the week starts: its orders go to
    /// suppliers then and no change reaches it afterwards. 48 hours leaves the supplier the
    /// weekend to pick and pack for a Monday delivery.
    public var cutOffLeadSeconds: Int64
    /// A cancellation takes effect after this notice: periods cut off within it are still
    /// delivered, because their orders may already be in production.
    public var noticeSeconds: Int64
    /// The deployment's weeks: Mondays 00:00 in its zone.
    public var weeks: WeekGrid

    public init(cutOffLeadSeconds: Int64 = 2 * 86_400, noticeSeconds: Int64 = 7 * 86_400, weeks: WeekGrid = .utc) {
        self.cutOffLeadSeconds = cutOffLeadSeconds
        self.noticeSeconds = noticeSeconds
        self.weeks = weeks
    }

    /// The same lead and notice on another grid.
    public func on(_ weeks: WeekGrid) -> SubscriptionPolicy {
        var copy = self
        copy.weeks = weeks
        return copy
    }

    public static let standard = SubscriptionPolicy()

    /// The instant the period starting `week` is cut off.
    public func cutOff(ofWeek week: Timestamp) -> Timestamp { week.adding(seconds: -cutOffLeadSeconds) }

    /// The latest week already cut off at `now`.
    public func lastCutOffWeek(at now: Timestamp) -> Timestamp { weeks.start(of: now.adding(seconds: cutOffLeadSeconds)) }

    /// The first week whose cut-off is still ahead: the earliest a change can reach.
    public func firstOpenWeek(at now: Timestamp) -> Timestamp { weeks.next(after: lastCutOffWeek(at: now)) }
}
