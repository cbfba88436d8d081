import TuanDomain

public protocol PledgeRepository {
    func pledge(id: Int64) throws -> Pledge?
    /// The pledge placed under an idempotency key, with the fingerprint of its request.
    func pledge(idempotencyScope scope: String, key: String) throws -> (pledge: Pledge, fingerprint: String)?
    /// A campaign's pledges in the order placed, optionally of one status.
    func pledges(campaignID: Int64, status: PledgeStatus?) throws -> [Pledge]
    /// Confirmed pledges of succeeded campaigns whose balance is due at `now`.
    func overduePledges(at now: Timestamp) throws -> [Int64]
    /// The soonest balance deadline of a confirmed, unpaid pledge.
    func nextBalanceDue() throws -> Timestamp?
    /// Succeeded campaigns whose balance reminders fall due by `now` (`leadSeconds` before
    /// `balance_due_at`, and the deadline not yet passed) and are not all written.
    func campaignsDueForBalanceReminder(at now: Timestamp, leadSeconds: Int64) throws -> [Int64]
    func nextBalanceReminder(leadSeconds: Int64) throws -> Timestamp?
    /// Writes `pledge.balance_due` for up to `limit` more of the campaign's confirmed pledges,
    /// set-based; marks the campaign reminded when none is left. Returns how many it wrote.
    func writeBalanceReminders(campaignID: Int64, limit: Int, at now: Timestamp) throws -> Int
    /// The balance payment recorded under an idempotency key, with its fingerprint.
    func balancePayment(idempotencyScope scope: String, key: String) throws -> (payment: BalancePayment, fingerprint: String)?
    /// Units `consumerID` holds in the campaign: their pledges that still count towards it.
    func consumerUnits(campaignID: Int64, consumerID: String) throws -> Int64
    /// A consumer's pledges across campaigns, newest first.
    func pledges(consumerID: String, limit: Int) throws -> [Pledge]
    /// The balance payment of a pledge, if it has one.
    func balancePayment(pledgeID: Int64) throws -> BalancePayment?
}
