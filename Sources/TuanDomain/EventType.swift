/// What happened, as storefronts subscribe to it: `<resource>.<change>`. The names are part of
/// the API (webhook filters and `GET /v1/events?types=`): add new ones, never rename.
public enum EventType: String, Sendable, CaseIterable, Hashable {
    case campaignPublished = "campaign.published"
    case campaignTipped = "campaign.tipped"
    case campaignUntipped = "campaign.untipped"
    case campaignEdited = "campaign.edited"
    case campaignClosing = "campaign.closing"
    case campaignSucceeded = "campaign.succeeded"
    case campaignFailed = "campaign.failed"
    case campaignCancelled = "campaign.cancelled"
    case pledgeCreated = "pledge.created"
    case pledgeConfirmed = "pledge.confirmed"
    case pledgeCancelled = "pledge.cancelled"
    case pledgePaid = "pledge.paid"
    case pledgeDefaulted = "pledge.defaulted"
    case pledgeRefunded = "pledge.refunded"
    /// A reminder, `balance_reminder` before the campaign's `balance_due_at`, for each
    /// confirmed pledge whose balance is still owed (Tmall's 尾款 reminder).
    case pledgeBalanceDue = "pledge.balance_due"
    /// A pledge handed out at its pickup point (核销).
    case pledgeCollected = "pledge.collected"
    /// Some lines of a pledge refunded (a short supplier answer), the rest standing.
    case pledgeLinesRefunded = "pledge.lines_refunded"
    /// A basket placed: its lines and the pledges they became, in one event.
    case basketCreated = "basket.created"
    case refundDue = "refund.due"
    case refundCompleted = "refund.completed"
    case teamOpened = "team.opened"
    case teamFilled = "team.filled"
    case teamExpired = "team.expired"
    case purchaseOrderCreated = "purchase_order.created"
    case purchaseOrderDelivered = "purchase_order.delivered"
    case purchaseOrderAcknowledged = "purchase_order.acknowledged"
    case purchaseOrderDeadLettered = "purchase_order.dead_lettered"
    /// The goods arrived: what was received per line; a short delivery's refunds follow.
    case purchaseOrderReceived = "purchase_order.received"
    /// A leader counted what arrived at its pickup point; a shortfall there refunds its lines.
    case purchaseOrderReceivedAtPoint = "purchase_order.received_at_point"
    case subscriptionCreated = "subscription.created"
    case subscriptionChanged = "subscription.changed"
    case subscriptionCutOff = "subscription.cut_off"
    /// A short answer or delivery left a subscription's week (in part) undelivered: its
    /// period's price is owed back (`short_delivery.refund`).
    case subscriptionDeliveryShort = "subscription.delivery_short"

    /// Where the resource an event carries comes from.
    public enum Resource: Sendable {
        /// Stored with the event, as it was after the change.
        case stored
        /// The pledge row, with the status the event gave it: after its creation a pledge
        /// changes only its status, its `updated_at`, and once (at confirmation) its
        /// commission, so the row and the event's status restore it exactly as it was. This
        /// lets a close write a chunk's events as one row of ids, set-based.
        case pledge(PledgeStatus)
        /// The refund row as it was: a refund changes once, from due to completed.
        case refund(Refund.Status)
    }

    public var resource: Resource {
        switch self {
        case .pledgeCreated: .pledge(.pledged)
        case .pledgeConfirmed, .pledgeBalanceDue: .pledge(.confirmed)
        case .pledgeCancelled: .pledge(.cancelled)
        case .pledgePaid: .pledge(.paid)
        case .pledgeDefaulted: .pledge(.defaulted)
        case .pledgeRefunded: .pledge(.refunded)
        case .refundDue: .refund(.due)
        case .refundCompleted: .refund(.completed)
        default: .stored
        }
    }

    /// The event a pledge's new status makes.
    public static func pledge(_ status: PledgeStatus) -> EventType {
        switch status {
        case .pledged: .pledgeCreated
        case .confirmed: .pledgeConfirmed
        case .cancelled: .pledgeCancelled
        case .paid: .pledgePaid
        case .defaulted: .pledgeDefaulted
        case .refunded: .pledgeRefunded
        }
    }

    /// The event a campaign's status change makes; nil for none (a draft).
    public static func campaign(from old: CampaignStatus, to new: CampaignStatus) -> EventType? {
        switch new {
        case .draft: nil
        case .open: old == .tipped ? .campaignUntipped : .campaignPublished
        case .tipped: .campaignTipped
        case .closing: .campaignClosing
        case .succeeded: .campaignSucceeded
        case .failed: .campaignFailed
        case .cancelled: .campaignCancelled
        }
    }

    /// Types named in a comma-separated filter (`?types=`, `--types`); an empty item is refused.
    public static func matching(list: String) throws(DomainError) -> Set<EventType> {
        try matching(list.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
    }

    /// Types named in a filter (`pledge.created,refund.*`): exact names, or `resource.*`, or `*`.
    public static func matching(_ patterns: [String]) throws(DomainError) -> Set<EventType> {
        var types = Set<EventType>()
        for pattern in patterns {
            if pattern == "*" { return Set(allCases) }
            if pattern.hasSuffix(".*") {
                let prefix = String(pattern.dropLast(1))
                let found = allCases.filter { $0.rawValue.hasPrefix(prefix) }
                guard !found.isEmpty else { throw DomainError(.unknownEventType, field: "types", "no event type matches \(pattern)") }
                types.formUnion(found)
            } else {
                guard let type = EventType(rawValue: pattern) else {
                    throw DomainError(.unknownEventType, field: "types", "unknown event type \(pattern)")
                }
                types.insert(type)
            }
        }
        return types
    }
}
