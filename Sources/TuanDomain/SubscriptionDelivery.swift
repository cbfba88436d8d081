/// One subscription's units in one week's order (a row of `subscription_deliveries`): what a
/// short answer or delivery of that order can leave undelivered. A delivery is never split: it
/// comes whole or is short whole, and a short one is owed back its period's price.
public struct SubscriptionDelivery: Hashable, Sendable {
    public var subscription: Subscription
    public var week: Timestamp
    public var quantity: Int64
    /// When an answer or a receipt found it could not be filled; nil while it stands.
    public var shortAt: Timestamp?

    public init(subscription: Subscription, week: Timestamp, quantity: Int64, shortAt: Timestamp? = nil) {
        self.subscription = subscription
        self.week = week
        self.quantity = quantity
        self.shortAt = shortAt
    }

    public var sku: String { subscription.sku }

    /// What goes back to the subscriber: the period's price (the storefront charged it).
    public func refundAmount() throws(DomainError) -> Money { try subscription.unitPrice.multiplied(by: quantity) }

    /// The `subscription.delivery_short` event: the subscription, with the delivery that fell short.
    public var shortEvent: DomainEvent {
        var json = subscription.json()
        if case .object(var fields) = json {
            // Within the subscription's bounds the period's price fits (`periodPrice`).
            let refund = (try? refundAmount())?.minor ?? 0
            fields.append(JSONValue.Field("short_delivery", [
                "week": JSONValue(week), "quantity": .int(quantity), "short_at": JSONValue(shortAt),
                "refund_minor": .int(refund), "currency": .string(subscription.currency.code),
            ]))
            json = .object(fields)
        }
        return DomainEvent(type: .subscriptionDeliveryShort, campaignID: nil, subjectID: subscription.id, data: json.serialized)
    }
}

/// An order's subscription deliveries shared out when fewer units come than they hold: they
/// are served before any pledge (standing demand, placed weeks ahead), the earliest
/// subscription first, and those that do not fit are short whole.
struct SubscriptionAllocation {
    private(set) var working: [SubscriptionDelivery]

    init(_ deliveries: [SubscriptionDelivery]) {
        working = deliveries.filter { $0.shortAt == nil }.sorted { $0.subscription.id < $1.subscription.id }
    }

    func held(_ sku: String) -> Int64 {
        working.reduce(0) { $1.shortAt == nil && $1.sku == sku ? $0 + $1.quantity : $0 }
    }

    /// Fills `room` units of `sku`; the destinations of what is kept.
    mutating func fill(_ sku: String, room: Int64, at now: Timestamp) -> [AggregatedDemand.Destination] {
        var room = room
        var kept: [(String?, String?, Int64)] = []
        for index in working.indices where working[index].shortAt == nil && working[index].sku == sku {
            let delivery = working[index]
            if delivery.quantity <= room {
                room -= delivery.quantity
                kept.append((delivery.subscription.pickupPoint, delivery.subscription.leaderCode, delivery.quantity))
            } else {
                working[index].shortAt = now
            }
        }
        return AggregatedDemand.Destination.grouping(kept)
    }

    var short: [SubscriptionDelivery] { working.filter { $0.shortAt != nil } }
}
