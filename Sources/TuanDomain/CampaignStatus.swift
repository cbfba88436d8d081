/// draft → open ⇄ tipped → succeeded | failed | cancelled.
///
/// `tipped` is an open campaign whose pledges have reached the threshold; a cancellation can
/// take it back under the threshold, so the edge runs both ways until the campaign closes.
public enum CampaignStatus: String, Sendable, CaseIterable, Codable {
    case draft, open, tipped, succeeded, failed, cancelled

    public var acceptsPledges: Bool { self == .open || self == .tipped }
    public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }

    public func canTransition(to next: CampaignStatus) -> Bool {
        switch (self, next) {
        case (.draft, .open), (.draft, .cancelled): return true
        case (.open, .tipped), (.tipped, .open): return true
        case (.open, .failed), (.open, .cancelled): return true
        case (.tipped, .succeeded), (.tipped, .cancelled): return true
        default: return false
        }
    }
}
