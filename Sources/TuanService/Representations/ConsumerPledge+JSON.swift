import TuanDomain
import TuanApp

extension ConsumerPledge {
    public var json: JSONValue {
        guard case .object(var fields) = pledge.json else { preconditionFailure("a pledge is an object") }
        fields += [
            .init("campaign_title", .string(campaignTitle)), .init("campaign_status", .string(campaignStatus.rawValue)),
            .init("paid_minor", .int(paid.minor)), .init("owed_minor", .int(owed.minor)), .init("refunded_minor", .int(refunded.minor)),
            .init("payment", payment?.json ?? .null),
            .init("refunds", .array(refunds.map(\.json))),
        ]
        return .object(fields)
    }
}
