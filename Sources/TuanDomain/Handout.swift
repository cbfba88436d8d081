/// Handing goods out at a pickup point (核销): a leader collects a pledge by the code its
/// consumer shows. Decided purely from the pledge, its campaign's order and the leader.
public enum Handout {
    /// One pledge on a leader's hand-out list.
    public struct Entry: Sendable, Equatable {
        public var pledge: Pledge
        public var campaignTitle: String
        /// When its goods arrived at the point (its order's receipt); nil: not yet.
        public var readySince: Timestamp?
        public var collectedAt: Timestamp?

        public init(pledge: Pledge, campaignTitle: String, readySince: Timestamp?, collectedAt: Timestamp?) {
            self.pledge = pledge
            self.campaignTitle = campaignTitle
            self.readySince = readySince
            self.collectedAt = collectedAt
        }
    }

    /// Whether `leader` hands `pledge` out: it was placed through the leader, or is to be
    /// collected at the leader's pickup point.
    public static func serves(_ leader: Leader, _ pledge: Pledge) -> Bool {
        pledge.leaderCode == leader.code || pledge.pickupPoint == leader.pickupPoint
    }

    /// The pledge a code names, if the code is right, may be collected now by `leader`:
    /// refused for a code that is not one (422), a wrong one or an unknown pledge (404, alike:
    /// a guess learns nothing), another point's pledge, goods not yet received, a balance still
    /// owed, a pledge that no longer stands, or one collected already.
    /// The caller loads what the code names (`PickupCode.verify`): the pledge of that id, its
    /// campaign's order and its collection, if any.
    /// `awaitingCutOff`: the pledge's campaign waits for its supplier's cut-off (no order yet).
    public static func collecting(code: String, secret: [UInt8], pledge: Pledge?, order: PurchaseOrder?, collectedAt: Timestamp?,
                                  leader: Leader, awaitingCutOff: Bool = false) throws(DomainError) -> Pledge {
        guard let (id, matches) = PickupCode.verify(code, secret: secret) else {
            throw .invalid("code", "is not a pickup code (the pledge number, a dash and six letters or digits)")
        }
        guard matches, let pledge, pledge.id == id else { throw DomainError(.notFound, field: "code", "no pledge has this pickup code") }
        guard serves(leader, pledge) else {
            throw DomainError(.conflict, field: "code", "pledge \(pledge.id) is collected at \(pledge.pickupPoint ?? "its own pickup point"), not at \(leader.pickupPoint)",
                              reason: .wrongPickupPoint)
        }
        if let collectedAt {
            throw DomainError(.conflict, field: "code", "pledge \(pledge.id) was collected at \(collectedAt)", reason: .alreadyCollected)
        }
        switch pledge.status {
        case .paid: break
        case .confirmed: throw DomainError(.conflict, field: "code", "pledge \(pledge.id) still owes its balance", reason: .balanceOwed)
        default: throw DomainError(.conflict, field: "code", "pledge \(pledge.id) is \(pledge.status.rawValue): nothing to hand out")
        }
        // No order at all: stock served the campaign whole, the goods are here.
        let receivedAtPoint = order?.pointReceipts.contains { $0.serves(pickupPoint: pledge.pickupPoint, leaderCode: pledge.leaderCode) } ?? false
        guard !awaitingCutOff, order == nil || order?.receivedAt != nil || receivedAtPoint else {
            throw DomainError(.conflict, field: "code", "the goods of pledge \(pledge.id) have not been received yet", reason: .notReceived)
        }
        return pledge
    }
}
