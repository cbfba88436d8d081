/// A validated basket (社区团购 checkout): pledges in several open campaigns at once, for one
/// consumer, one pickup point and one deposit payment, under one idempotency key.
public struct BasketRequest: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public var campaignID: Int64
        /// The pledge's units (the items' sum when `items` are given).
        public var quantity: Int64
        /// For a campaign that sells several items: which, and how many of each.
        public var items: [PledgeLine.Request]

        public init(campaignID: Int64, quantity: Int64, items: [PledgeLine.Request] = []) {
            self.campaignID = campaignID
            self.quantity = quantity
            self.items = items
        }
    }

    /// More lines than a checkout holds is a mistake (or an attack on the writer's transaction).
    public static let maximumLines = 20

    public var consumerID: String
    public var lines: [Line]
    public var leaderCode: String?
    public var pickupPoint: String?
    public var depositPaymentRef: String?
    /// Place what fits and report the rest, instead of all or nothing.
    public var partial: Bool
    public var idempotencyKey: String
    /// The pledge each line places, in line order. Their keys are the basket's with the line
    /// number, in a scope of their own (`BasketPlacement.pledgeScope`), so they can meet no
    /// pledge placed directly.
    public private(set) var pledgeRequests: [PledgeRequest] = []

    public init(consumerID: String, lines: [Line], leaderCode: String? = nil, pickupPoint: String? = nil,
                depositPaymentRef: String? = nil, partial: Bool = false, idempotencyKey: String) throws(DomainError) {
        // Line keys add "#N": the basket's own key leaves room for it within a pledge key's 255.
        guard !idempotencyKey.isEmpty, idempotencyKey.utf8.count <= 250, idempotencyKey.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else {
            throw .invalid("idempotency_key", "must be 1-250 visible ASCII characters")
        }
        guard (1...Self.maximumLines).contains(lines.count) else {
            throw .invalid("lines", "must hold 1 to \(Self.maximumLines) lines")
        }
        var seen = Set<Int64>()
        for (index, line) in lines.enumerated() {
            guard line.campaignID > 0 else { throw .invalid("lines[\(index)].campaign_id", "must be a campaign id") }
            guard seen.insert(line.campaignID).inserted else {
                throw .invalid("lines[\(index)].campaign_id", "campaign \(line.campaignID) is in the basket twice: give its line one quantity")
            }
        }
        self.consumerID = consumerID
        var lines = lines
        self.leaderCode = leaderCode
        self.pickupPoint = pickupPoint
        self.depositPaymentRef = depositPaymentRef
        self.partial = partial
        self.idempotencyKey = idempotencyKey
        // Every line is a pledge request: its checks (quantity, text, key) apply line by line.
        for (index, line) in lines.enumerated() {
            do {
                let request = try PledgeRequest(consumerID: consumerID, quantity: line.items.isEmpty ? line.quantity : nil,
                                                lines: line.items, leaderCode: leaderCode, pickupPoint: pickupPoint,
                                                depositPaymentRef: depositPaymentRef, idempotencyKey: "\(idempotencyKey)#\(index + 1)")
                lines[index].quantity = request.quantity
                pledgeRequests.append(request)
            } catch {
                throw error.about(error.field.map { $0 == "idempotency_key" ? $0 : "lines[\(index)].\($0.replacingPrefix("lines[", with: "items["))" })
            }
        }
        self.lines = lines
    }

    /// Content identity for replays: the consumer, the lines in order, and the shared fields.
    public var fingerprint: String {
        var parts = [consumerID, leaderCode ?? "", pickupPoint ?? "", depositPaymentRef ?? "", partial ? "partial" : "whole"]
        parts += lines.map { line in
            "\(line.campaignID)x\(line.quantity)" + line.items.map { ";\($0.sku)x\($0.quantity)" }.joined()
        }
        return parts.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }
}

extension String {
    /// The string with `prefix` replaced when it starts with it.
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
