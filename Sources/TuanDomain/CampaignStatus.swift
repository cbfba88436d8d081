/// draft → open ⇄ tipped → closing → succeeded | failed | cancelled.
///
/// `tipped` is an open campaign whose pledges have reached the threshold; a cancellation can
/// take it back under the threshold, so the edge runs both ways until the campaign closes.
/// `closing`: the close is decided (outcome, price) and its pledges are being settled in
/// chunks, each its own transaction; no pledge enters or leaves meanwhile.
public enum CampaignStatus: String, Sendable, CaseIterable, Codable {
    case draft, open, tipped, closing, succeeded, failed, cancelled

    public var acceptsPledges: Bool { self == .open || self == .tipped }
    public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }

    public func canTransition(to next: CampaignStatus) -> Bool {
        switch (self, next) {
        case (.draft, .open), (.draft, .cancelled): return true
        case (.open, .tipped), (.tipped, .open): return true
        case (.open, .failed), (.open, .cancelled): return true
        case (.tipped, .succeeded), (.tipped, .cancelled): return true
        case (.draft, .closing), (.open, .closing), (.tipped, .closing): return true
        case (.closing, .succeeded), (.closing, .failed), (.closing, .cancelled): return true
        default: return false
        }
    }
}
