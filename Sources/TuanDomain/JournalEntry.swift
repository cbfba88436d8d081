/// One balanced ledger transaction. The initializer refuses anything that does not sum to
/// zero, so an unbalanced entry cannot exist.
public struct JournalEntry: Hashable, Sendable {
    public enum Kind: String, Sendable, Codable {
        case depositReceived = "deposit_received"
        case depositRefunded = "deposit_refunded"
        case depositForfeited = "deposit_forfeited"
        case balancePaid = "balance_paid"
        case supplierPayable = "supplier_payable"
        case supplierPayableReversed = "supplier_payable_reversed"
        case saleRefunded = "sale_refunded"
        /// The storefront paid a refund out: it leaves `refunds_payable` for cash.
        case refundPaid = "refund_paid"
        case leaderCommission = "leader_commission"
        case leaderCommissionReversed = "leader_commission_reversed"
        /// Goods that arrived and no pledge holds went into stock.
        case stockReceived = "stock_received"
        /// A campaign was served from stock.
        case stockUsed = "stock_used"
    }

    public struct Posting: Hashable, Sendable {
        public var account: Account
        /// Debit positive, credit negative, in minor units of the entry's currency.
        public var amountMinor: Int64
    }

    public var kind: Kind
    public var currency: Currency
    public var postings: [Posting]
    public var campaignID: Int64?
    public var pledgeID: Int64?
    /// The group leader a commission entry concerns.
    public var leaderCode: String?
    public var memo: String

    public init(kind: Kind, currency: Currency, postings: [(Account, Int64)], campaignID: Int64? = nil,
                pledgeID: Int64? = nil, leaderCode: String? = nil, memo: String = "") throws(DomainError) {
        var sum: Int64 = 0
        for (_, amount) in postings {
            let (next, overflow) = sum.addingReportingOverflow(amount)
            guard !overflow else { throw DomainError(.overflow, "journal entry overflows") }
            sum = next
        }
        guard sum == 0 else { throw DomainError(.unbalanced, "\(kind.rawValue) postings sum to \(sum), not 0") }
        self.kind = kind
        self.currency = currency
        self.postings = postings.filter { $0.1 != 0 }.map { Posting(account: $0.0, amountMinor: $0.1) }
        self.campaignID = campaignID
        self.pledgeID = pledgeID
        self.leaderCode = leaderCode
        self.memo = memo
    }
}

extension JournalEntry {
    public static func depositReceived(_ pledge: Pledge) throws(DomainError) -> JournalEntry {
        try depositReceived(pledge.deposit, campaignID: pledge.campaignID, pledgeID: pledge.id)
    }

    /// A pledge's deposit is to go back: it leaves escrow for `refunds_payable`, a refund due
    /// until the storefront reports it paid (`refundPaid`).
    public static func depositRefunded(_ pledge: Pledge) throws(DomainError) -> JournalEntry {
        try JournalEntry(kind: .depositRefunded, currency: pledge.deposit.currency,
                         postings: [(.escrow, pledge.liveDeposit.minor), (.refundsPayable, -pledge.liveDeposit.minor)],
                         campaignID: pledge.campaignID, pledgeID: pledge.id)
    }

    /// A refund the storefront paid out, with the provider's reference in the memo.
    public static func refundPaid(_ refund: Refund) throws(DomainError) -> JournalEntry {
        try JournalEntry(kind: .refundPaid, currency: refund.amount.currency,
                         postings: [(.refundsPayable, refund.amount.minor), (.cash, -refund.amount.minor)],
                         campaignID: refund.campaignID, pledgeID: refund.pledgeID, memo: "refund \(refund.id) paid: \(refund.reference ?? "")")
    }

    /// What this entry makes due to the consumer of its pledge: the amount it credits to
    /// `refunds_payable` (nil when it credits none).
    public var refundDue: Money? {
        guard pledgeID != nil, let posting = postings.first(where: { $0.account == .refundsPayable && $0.amountMinor < 0 }) else { return nil }
        return Money(minor: -posting.amountMinor, currency: currency)
    }

    public static func subscriptionDepositReceived(_ subscription: Subscription) throws(DomainError) -> JournalEntry {
        try depositReceived(subscription.deposit, memo: "subscription \(subscription.id) deposit")
    }

    public static func subscriptionDepositRefunded(_ subscription: Subscription) throws(DomainError) -> JournalEntry {
        try depositRefunded(subscription.deposit, memo: "subscription \(subscription.id) ended: deposit returned")
    }

    /// A deposit comes in and is held in escrow for the consumer who paid it.
    private static func depositReceived(_ deposit: Money, campaignID: Int64? = nil, pledgeID: Int64? = nil,
                                        memo: String = "") throws(DomainError) -> JournalEntry {
        try JournalEntry(kind: .depositReceived, currency: deposit.currency, postings: [(.cash, deposit.minor), (.escrow, -deposit.minor)],
                         campaignID: campaignID, pledgeID: pledgeID, memo: memo)
    }

    /// A held deposit goes back to the consumer.
    private static func depositRefunded(_ deposit: Money, campaignID: Int64? = nil, pledgeID: Int64? = nil,
                                        memo: String = "") throws(DomainError) -> JournalEntry {
        try JournalEntry(kind: .depositRefunded, currency: deposit.currency, postings: [(.escrow, deposit.minor), (.cash, -deposit.minor)],
                         campaignID: campaignID, pledgeID: pledgeID, memo: memo)
    }

    public static func depositForfeited(_ pledge: Pledge) throws(DomainError) -> JournalEntry {
        try JournalEntry(kind: .depositForfeited, currency: pledge.deposit.currency,
                         postings: [(.escrow, pledge.liveDeposit.minor), (.forfeits, -pledge.liveDeposit.minor)],
                         campaignID: pledge.campaignID, pledgeID: pledge.id)
    }

    /// The consumer pays the balance; the deposit leaves escrow and the whole price is revenue.
    /// With deposit credit (定金膨胀) the deposit counts `credit` against the price: the consumer
    /// pays `total − credit`, and the credit beyond the deposit is a discount we give.
    public static func balancePaid(_ pledge: Pledge, total: Money, credit: Money? = nil) throws(DomainError) -> JournalEntry {
        let deposit = pledge.liveDeposit
        let credit = credit ?? deposit
        let balance = try total.subtracting(credit), discount = try credit.subtracting(deposit)
        return try JournalEntry(kind: .balancePaid, currency: total.currency,
                                postings: [(.cash, balance.minor), (.escrow, deposit.minor), (.depositCredits, discount.minor),
                                           (.sales, -total.minor)],
                                campaignID: pledge.campaignID, pledgeID: pledge.id)
    }

    public static func supplierPayable(campaignID: Int64?, cost: Money, memo: String) throws(DomainError) -> JournalEntry {
        try JournalEntry(kind: .supplierPayable, currency: cost.currency,
                         postings: [(.costOfGoods, cost.minor), (.supplierPayables, -cost.minor)],
                         campaignID: campaignID, memo: memo)
    }

    /// Units beyond the order arrived: stock (an asset), owed to the supplier.
    public static func stockReceived(campaignID: Int64?, cost: Money, memo: String) throws(DomainError) -> JournalEntry {
        try JournalEntry(kind: .stockReceived, currency: cost.currency,
                         postings: [(.stock, cost.minor), (.supplierPayables, -cost.minor)],
                         campaignID: campaignID, memo: memo)
    }

    /// Ordered units that arrived and no pledge holds (a rounding surplus, lines refunded since):
    /// no longer a cost of goods sold, but stock.
    public static func surplusToStock(campaignID: Int64?, cost: Money, memo: String) throws(DomainError) -> JournalEntry {
        try JournalEntry(kind: .stockReceived, currency: cost.currency,
                         postings: [(.stock, cost.minor), (.costOfGoods, -cost.minor)],
                         campaignID: campaignID, memo: memo)
    }

    /// A campaign's pledges served from stock: the stock becomes goods sold.
    public static func stockUsed(campaignID: Int64?, cost: Money, memo: String) throws(DomainError) -> JournalEntry {
        try JournalEntry(kind: .stockUsed, currency: cost.currency,
                         postings: [(.costOfGoods, cost.minor), (.stock, -cost.minor)],
                         campaignID: campaignID, memo: memo)
    }

    /// The supplier will not ship part of an order: that part is no longer owed.
    public static func supplierPayableReversed(campaignID: Int64?, cost: Money, memo: String) throws(DomainError) -> JournalEntry {
        try JournalEntry(kind: .supplierPayableReversed, currency: cost.currency,
                         postings: [(.supplierPayables, cost.minor), (.costOfGoods, -cost.minor)],
                         campaignID: campaignID, memo: memo)
    }

    /// A paid pledge cannot be filled: everything the consumer paid goes back.
    /// With deposit credit the consumer paid `total − credit + deposit`: that goes back, and
    /// the discount is taken back with the sale.
    public static func saleRefunded(_ pledge: Pledge, total: Money, credit: Money? = nil) throws(DomainError) -> JournalEntry {
        let credit = credit ?? pledge.liveDeposit
        let discount = try credit.subtracting(pledge.liveDeposit)
        let paid = try total.subtracting(discount)
        return try JournalEntry(kind: .saleRefunded, currency: total.currency,
                                postings: [(.sales, total.minor), (.depositCredits, -discount.minor), (.refundsPayable, -paid.minor)],
                                campaignID: pledge.campaignID, pledgeID: pledge.id)
    }
}

extension JournalEntry {
    /// A leader's commission on a succeeded campaign: an expense we now owe the leader.
    public static func leaderCommission(leaderCode: String, campaignID: Int64, amount: Money, memo: String) throws(DomainError) -> JournalEntry {
        try JournalEntry(kind: .leaderCommission, currency: amount.currency,
                         postings: [(.commissions, amount.minor), (.leaderPayables, -amount.minor)],
                         campaignID: campaignID, leaderCode: leaderCode, memo: memo)
    }

    /// The pledge a commission was earned on defaulted or was refunded: the leader no longer
    /// earns it. Nil when the pledge carried no commission.
    public static func leaderCommissionReversed(_ pledge: Pledge) throws(DomainError) -> JournalEntry? {
        guard let commission = pledge.commission, !commission.isZero, let leaderCode = pledge.leaderCode else { return nil }
        return try JournalEntry(kind: .leaderCommissionReversed, currency: commission.currency,
                                postings: [(.leaderPayables, commission.minor), (.commissions, -commission.minor)],
                                campaignID: pledge.campaignID, pledgeID: pledge.id, leaderCode: leaderCode,
                                memo: "pledge \(pledge.id) did not go through")
    }
}
