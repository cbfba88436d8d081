/// A rule violation, with a stable machine-readable `code`, the input `field` it concerns
/// (when there is one) and a human sentence. The HTTP and CLI layers map codes to
/// statuses and exit codes; nothing here knows about either.
public struct DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    public var code: Code
    public var field: String?
    public var message: String
    /// Which of the cases one code and field cover this is, where callers must tell them apart
    /// (a leader code no leader has, against a malformed one): matched instead of the wording.
    public var reason: Reason?

    public enum Reason: String, Sendable {
        case unknownLeader = "unknown_leader"
        case alreadyAnswered = "already_answered"
        case alreadyReceived = "already_received"
        case wrongPickupPoint = "wrong_pickup_point"
        case alreadyCollected = "already_collected"
        case balanceOwed = "balance_owed"
        case notReceived = "not_received"
        case stockServed = "stock_served"
    }

    public init(_ code: Code, field: String? = nil, _ message: String, reason: Reason? = nil) {
        self.code = code
        self.field = field
        self.message = message
        self.reason = reason
    }

    /// The same refusal about another field (a basket line's `quantity` as `lines[2].quantity`):
    /// code, message and reason kept.
    public func about(_ field: String?) -> DomainError {
        DomainError(code, field: field, message, reason: reason)
    }

    public var description: String {
        if let field { return "\(field): \(message)" }
        return message
    }

    public struct Code: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }

        public static let invalidField: Code = "invalid_field"
        public static let currencyMismatch: Code = "currency_mismatch"
        public static let overflow: Code = "amount_overflow"
        public static let notFound: Code = "not_found"
        public static let soldOut: Code = "sold_out"
        public static let campaignClosed: Code = "campaign_closed"
        public static let campaignNotOpen: Code = "campaign_not_open"
        public static let invalidTransition: Code = "invalid_transition"
        public static let cancellationClosed: Code = "cancellation_closed"
        /// A team-buy team is full or past its window.
        public static let teamClosed: Code = "team_closed"
        /// A subscription change reaches a period whose cut-off has passed.
        public static let cutOffPassed: Code = "cut_off_passed"
        public static let idempotencyConflict: Code = "idempotency_conflict"
        public static let conflict: Code = "conflict"
        public static let unbalanced: Code = "ledger_unbalanced"
        /// The caller may not act on this record (a supplier answering another's order).
        public static let forbidden: Code = "forbidden"
        /// A balance payment for a pledge that already defaulted.
        public static let pledgeDefaulted: Code = "pledge_defaulted"
        /// A balance payment for a pledge already paid (under another idempotency key).
        public static let alreadyPaid: Code = "already_paid"
        /// A payment of anything but exactly what is owed.
        public static let wrongAmount: Code = "wrong_amount"
        /// A pledge that would take its consumer past the campaign's `max_per_consumer`.
        public static let consumerLimit: Code = "consumer_limit"
        /// Campaign edits that would worsen the terms of people who already pledged.
        public static let shortensDeadline: Code = "shortens_deadline"
        public static let lowersCap: Code = "lowers_cap"
        public static let raisesPrice: Code = "raises_price"
        public static let raisesDeposit: Code = "raises_deposit"
        /// A refund reported paid again, with another reference.
        public static let refundCompleted: Code = "refund_completed"
        /// An event type filter that names no known type.
        public static let unknownEventType: Code = "unknown_event_type"
    }

    /// The status the error answers with, the one table every renderer (API, pages) uses:
    /// 422 for input that breaks a rule, 404 for what does not exist, 409 for a state that
    /// refuses the request, 403 for a caller who may not; anything else is a server fault.
    public var status: Int {
        switch code {
        case .invalidField, .overflow, .currencyMismatch, .wrongAmount, .unknownEventType: 422
        case .notFound: 404
        case .forbidden: 403
        case .soldOut, .campaignClosed, .campaignNotOpen, .invalidTransition, .cancellationClosed, .idempotencyConflict, .conflict,
             .teamClosed, .cutOffPassed, .pledgeDefaulted, .alreadyPaid, .consumerLimit, .shortensDeadline, .lowersCap,
             .raisesPrice, .raisesDeposit, .refundCompleted:
            409
        default: 500
        }
    }

    public static func invalid(_ field: String, _ message: String) -> DomainError {
        DomainError(.invalidField, field: field, message)
    }
}
