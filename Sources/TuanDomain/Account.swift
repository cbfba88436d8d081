/// Ledger accounts. Postings are signed: debits positive, credits negative, so every journal
/// entry sums to zero. Asset and expense accounts carry debit (positive) balances; liability
/// and income accounts carry credit (negative) balances.
public enum Account: String, Sendable, CaseIterable, Codable {
    /// Money received from consumers and not yet paid out (asset).
    case cash
    /// Deposits held on behalf of consumers until their campaign settles (liability).
    case escrow
    /// Revenue from completed pre-orders (income).
    case sales
    /// Deposits kept when a confirmed pledge defaults (income).
    case forfeits
    /// What ordered goods cost us (expense).
    case costOfGoods = "cost_of_goods"
    /// What we owe suppliers for purchase orders (liability).
    case supplierPayables = "supplier_payables"
    /// Commission earned by group leaders (expense).
    case commissions
    /// What we owe group leaders (liability).
    case leaderPayables = "leader_payables"
    /// What paid deposits count beyond their face value against the price (定金膨胀): a
    /// discount we give when the balance is paid (expense).
    case depositCredits = "deposit_credits"
    /// Refunds Tuan decided and the storefront has not yet paid out to consumers (liability).
    case refundsPayable = "refunds_payable"
    /// Goods on hand we owe the supplier for and no pledge holds: an over-delivery (asset).
    case stock

    public var isDebitNormal: Bool {
        switch self {
        case .cash, .costOfGoods, .commissions, .depositCredits, .stock: return true
        case .escrow, .sales, .forfeits, .supplierPayables, .leaderPayables, .refundsPayable: return false
        }
    }
}
