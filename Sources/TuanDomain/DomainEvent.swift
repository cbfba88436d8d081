/// One state change as storefronts learn of it: written in the transaction that makes the
/// change, numbered in commit order by the store (`seq`), never changed afterwards.
public struct DomainEvent: Sendable, Equatable {
    public var type: EventType
    /// The campaign it belongs to, when it belongs to one: webhooks keep each campaign's
    /// events in order, and the schema can be distributed by it.
    public var campaignID: Int64?
    /// The id of the resource (pledge, refund, campaign, team, order, subscription). Zero for a
    /// row the same changeset inserts (the new pledge, the new team): the store fills it in.
    public var subjectID: Int64
    /// The resource after the change, for `EventType.Resource.stored` types; nil for types
    /// whose resource is restored from its row (pledges, refunds).
    public var data: String?

    public init(type: EventType, campaignID: Int64?, subjectID: Int64, data: String?) {
        precondition((data == nil) != (type.resource.isStored), "\(type.rawValue): data is stored exactly for stored resources")
        self.type = type
        self.campaignID = campaignID
        self.subjectID = subjectID
        self.data = data
    }

    public static func campaign(_ type: EventType, _ campaign: Campaign) -> DomainEvent {
        DomainEvent(type: type, campaignID: campaign.id, subjectID: campaign.id, data: campaign.json.serialized)
    }

    public static func team(_ type: EventType, _ team: Team) -> DomainEvent {
        DomainEvent(type: type, campaignID: team.campaignID, subjectID: team.id, data: team.json.serialized)
    }

    public static func pledge(_ pledge: Pledge) -> DomainEvent {
        DomainEvent(type: .pledge(pledge.status), campaignID: pledge.campaignID, subjectID: pledge.id, data: nil)
    }

    /// A pledge's lines changed while its status did not: the resource is stored as it is now.
    public static func pledge(_ type: EventType, _ pledge: Pledge) -> DomainEvent {
        DomainEvent(type: type, campaignID: pledge.campaignID, subjectID: pledge.id, data: pledge.json.serialized)
    }

    public static func refund(_ type: EventType, _ refund: Refund) -> DomainEvent {
        DomainEvent(type: type, campaignID: refund.campaignID, subjectID: refund.id, data: nil)
    }

    public static func purchaseOrder(_ type: EventType, _ order: PurchaseOrder) -> DomainEvent {
        DomainEvent(type: type, campaignID: order.campaignID, subjectID: order.id, data: order.json.serialized)
    }

    public static func subscription(_ type: EventType, _ subscription: Subscription) -> DomainEvent {
        DomainEvent(type: type, campaignID: nil, subjectID: subscription.id, data: subscription.json().serialized)
    }
}

extension EventType.Resource {
    public var isStored: Bool { if case .stored = self { true } else { false } }
}
