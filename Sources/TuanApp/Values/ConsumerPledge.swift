import TuanDomain

/// One of a consumer's pledges as the storefront shows it: where it stands and the money, paid
/// in (deposit and balance), owed now, and returned (refunds decided by Tuan).
public struct ConsumerPledge: Sendable {
    public var pledge: Pledge
    public var campaignTitle: String
    public var campaignStatus: CampaignStatus
    public var payment: BalancePayment?
    public var paid: Money
    public var owed: Money
    public var refunded: Money
    /// The refunds on record for it, due or paid out.
    public var refunds: [Refund] = []

    /// The amounts follow from the pledge's state, the way the ledger moved them: the deposit
    /// is paid when the pledge is placed and the balance when it is paid; a refund returns
    /// everything paid, a cancellation the deposit, a default the deposit unless it is forfeited.
    public init(pledge: Pledge, campaign: Campaign, payment: BalancePayment?) throws(DomainError) {
        self.pledge = pledge
        self.campaignTitle = campaign.title
        self.campaignStatus = campaign.status
        self.payment = payment
        let zero = Money.zero(pledge.deposit.currency)
        let paid = try pledge.deposit.adding(payment?.amount ?? zero)
        self.paid = paid
        owed = pledge.status == .confirmed && campaign.status == .succeeded ? try campaign.balanceOwed(by: pledge) : zero
        refunded = switch pledge.status {
        case .refunded: paid
        case .cancelled: pledge.deposit
        case .defaulted: campaign.forfeitDepositOnDefault ? zero : pledge.deposit
        default: zero
        }
    }
}
