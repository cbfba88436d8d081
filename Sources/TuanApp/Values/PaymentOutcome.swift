import TuanDomain

/// A balance payment recorded, or the one an earlier request with the same key recorded.
public struct PaymentOutcome: Sendable {
    public var payment: BalancePayment
    public var pledge: Pledge
    public var replayed: Bool

    public init(payment: BalancePayment, pledge: Pledge, replayed: Bool) {
        self.payment = payment
        self.pledge = pledge
        self.replayed = replayed
    }
}
