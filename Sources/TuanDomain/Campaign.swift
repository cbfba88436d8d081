/// A group buy: pledges gather until `closesAt`; at close the campaign succeeds if at least
/// `threshold` units were pledged (everyone pays the tier price reached) or fails and every
/// deposit is refunded. `cap`, when set, is never exceeded.
public struct Campaign: Hashable, Sendable {
    public var id: Int64
    public var sku: String
    public var title: String
    public var opensAt: Timestamp
    public var closesAt: Timestamp
    /// Pledges may be cancelled (deposit refunded) until this instant.
    public var cancellationDeadline: Timestamp
    /// Confirmed pledges must pay their balance by this instant or default.
    public var balanceDueAt: Timestamp
    public var threshold: Int64
    public var cap: Int64?
    public var schedule: PriceSchedule
    public var depositPerUnit: Money
    /// Largest quantity one pledge may ask for.
    public var maxPerPledge: Int64
    /// When a confirmed pledge defaults, its deposit is forfeited (true) or refunded (false).
    public var forfeitDepositOnDefault: Bool
    public var team: TeamRule?
    /// The IANA zone its pages show times in; nil: the deployment's.
    public var timeZone: String?
    /// Units one consumer may hold across all their pledges; nil: no limit.
    public var maxPerConsumer: Int64?
    public var description: String?
    /// What a paid deposit counts against the price per unit (定金膨胀); the deposit itself when
    /// the campaign gives no extra credit.
    public var depositCreditPerUnit: Money
    /// The items it sells when it sells several (sizes, colours, add-ons); empty for a
    /// campaign of one implicit item, its `sku`.
    public var items: [CampaignItem]
    /// The factory's minimum run per style: the campaign tips only when every style among its
    /// items holds at least this many units (besides the threshold on all units).
    public var styleMinimum: Int64?
    /// When its goods reach the pickup points (community group buying: the next afternoon);
    /// nil: its product's lead time after the close.
    public var deliveryAt: Timestamp?
    public var status: CampaignStatus
    public var pledgedQuantity: Int64
    public var pledgeCount: Int64
    public var finalUnitPrice: Money?
    public var closedAt: Timestamp?

    public var currency: Currency { schedule.currency }
    public var isTipped: Bool { pledgedQuantity >= threshold && meetsStyleMinimum }
    public var currentUnitPrice: Money { finalUnitPrice ?? schedule.unitPrice(at: pledgedQuantity) }
    public var remainingCapacity: Int64? { cap.map { max(0, $0 - pledgedQuantity) } }
    /// The tier still to unlock and the units it needs, while the price is not yet final.
    public var nextTier: (tier: PriceTier, unitsNeeded: Int64)? {
        finalUnitPrice == nil ? schedule.nextTier(after: pledgedQuantity) : nil
    }

    public init(id: Int64, draft: CampaignDraft, status: CampaignStatus) {
        self.id = id
        self.sku = draft.sku
        self.title = draft.title
        self.opensAt = draft.opensAt
        self.closesAt = draft.closesAt
        self.cancellationDeadline = draft.cancellationDeadline
        self.balanceDueAt = draft.balanceDueAt
        self.threshold = draft.threshold
        self.cap = draft.cap
        self.schedule = draft.schedule
        self.depositPerUnit = draft.depositPerUnit
        self.maxPerPledge = draft.maxPerPledge
        self.forfeitDepositOnDefault = draft.forfeitDepositOnDefault
        self.team = draft.team
        self.timeZone = draft.timeZone
        self.maxPerConsumer = draft.maxPerConsumer
        self.description = draft.description
        self.depositCreditPerUnit = draft.depositCreditPerUnit
        self.items = draft.items
        self.styleMinimum = draft.styleMinimum
        self.deliveryAt = draft.deliveryAt
        self.status = status
        self.pledgedQuantity = 0
        self.pledgeCount = 0
        self.finalUnitPrice = nil
        self.closedAt = nil
    }
}
