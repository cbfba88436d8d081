import TuanDomain
import TuanApp

extension BalancePayment {
    public var json: JSONValue {
        ["id": .int(id), "pledge_id": .int(pledgeID), "amount_minor": .int(amount.minor), "currency": .string(amount.currency.code),
         "reference": .string(reference), "received_at": JSONValue(receivedAt)]
    }
}
