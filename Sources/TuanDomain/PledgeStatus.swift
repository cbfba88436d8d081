/// pledged → confirmed → paid | defaulted; pledged → cancelled | refunded; confirmed | paid → refunded
/// (the campaign failed, or the supplier could not fill the pledge).
public enum PledgeStatus: String, Sendable, CaseIterable, Codable {
    case pledged, confirmed, paid, defaulted, cancelled, refunded

    public var isFinal: Bool { self == .paid || self == .defaulted || self == .cancelled || self == .refunded }
    /// The pledge still counts towards the campaign's quantity.
    public var countsTowardsCampaign: Bool { self == .pledged || self == .confirmed || self == .paid }
    /// Its deposit is still held in escrow for the consumer.
    public var holdsDeposit: Bool { self == .pledged || self == .confirmed }

    public func canTransition(to next: PledgeStatus) -> Bool {
        switch (self, next) {
        case (.pledged, .confirmed), (.pledged, .cancelled), (.pledged, .refunded): return true
        case (.confirmed, .paid), (.confirmed, .defaulted), (.confirmed, .refunded): return true
        case (.paid, .refunded): return true
        default: return false
        }
    }
}
