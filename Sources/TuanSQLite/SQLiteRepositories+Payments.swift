import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    func insertBalancePayment(_ payment: BalancePayment, at now: Timestamp) throws {
        do {
            try connection.run("""
                INSERT INTO balance_payments(pledge_id, amount_minor, currency, reference, idempotency_scope, idempotency_key, fingerprint,
                                             created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(payment.pledgeID), .integer(payment.amount.minor), .text(payment.amount.currency.code),
                      .text(payment.reference), .text(payment.idempotencyScope), .text(payment.idempotencyKey),
                      .text(payment.fingerprint), .integer(payment.receivedAt.seconds)])
        } catch let error as SQLiteError where error.isUniqueViolation {
            // Two requests raced for one pledge or one key: the later one is decided again.
            throw RepositoryConflict.idempotencyKeyTaken
        }
    }

    private static let paymentColumns = """
        SELECT id, pledge_id, amount_minor, currency, reference, idempotency_scope, idempotency_key, created_at, fingerprint
        FROM balance_payments
        """

    private static func payment(_ row: Row) -> BalancePayment {
        BalancePayment(restoringID: row.int(0), pledgeID: row.int(1), amount: Money(minor: row.int(2), currency: Currency(restoring: row.string(3))),
                       reference: row.string(4), idempotencyScope: row.string(5), idempotencyKey: row.string(6),
                       receivedAt: Timestamp(seconds: row.int(7)))
    }

    public func balancePayment(idempotencyScope scope: String, key: String) throws -> (payment: BalancePayment, fingerprint: String)? {
        try connection.queryOne(Self.paymentColumns + " WHERE idempotency_scope = ? AND idempotency_key = ?", [.text(scope), .text(key)]) {
            (Self.payment($0), $0.string(8))
        }
    }

    public func balancePayment(pledgeID: Int64) throws -> BalancePayment? {
        try connection.queryOne(Self.paymentColumns + " WHERE pledge_id = ?", [.integer(pledgeID)], Self.payment)
    }
}
