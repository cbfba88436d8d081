/// Money Tuan decided goes back to a consumer (a failed or cancelled campaign, a lapsed team,
/// a cancellation, a short supplier answer, a default whose deposit is refunded): owed through
/// `refunds_payable` until the storefront pays it out and reports the provider's reference.
public struct Refund: Hashable, Sendable {
    public enum Status: String, Sendable, CaseIterable {
        case due, completed
    }

    public var id: Int64
    public var pledgeID: Int64
    public var campaignID: Int64
    public var consumerID: String
    public var amount: Money
    /// The journal entry that made it due, and its kind (why).
    public var journalID: Int64
    public var reason: JournalEntry.Kind
    public var status: Status
    public var reference: String?
    public var createdAt: Timestamp
    public var completedAt: Timestamp?

    public init(restoringID id: Int64, pledgeID: Int64, campaignID: Int64, consumerID: String, amount: Money, journalID: Int64,
                reason: JournalEntry.Kind, status: Status, reference: String?, createdAt: Timestamp, completedAt: Timestamp?) {
        self.id = id
        self.pledgeID = pledgeID
        self.campaignID = campaignID
        self.consumerID = consumerID
        self.amount = amount
        self.journalID = journalID
        self.reason = reason
        self.status = status
        self.reference = reference
        self.createdAt = createdAt
        self.completedAt = completedAt
    }

    /// The storefront paid it out. Reporting it again with the same reference changes nothing
    /// (nil entry); with another reference it is refused.
    public func completing(reference: String, at now: Timestamp) throws(DomainError) -> (Refund, JournalEntry?) {
        try Validate.text(reference, field: "reference", maxLength: 200)
        guard status == .due else {
            guard self.reference == reference else {
                throw DomainError(.refundCompleted, field: "reference", "refund \(id) was already completed with another reference")
            }
            return (self, nil)
        }
        var next = self
        next.status = .completed
        next.reference = reference
        next.completedAt = now
        return (next, try .refundPaid(next))
    }
}
