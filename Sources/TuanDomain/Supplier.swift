/// A manufacturer or wholesaler that receives group purchase orders.
public struct Supplier: Hashable, Sendable {
    public var id: Int64
    public var name: String
    /// Where purchase orders are pushed (HTTPS in production); nil means orders wait for pickup via the API.
    public var endpointURL: String?
    /// Standard Webhooks secret, `whsec_` + base64.
    public var webhookSecret: String
    public var endpointDisabled: Bool
    /// When its orders go out: at each close (`immediate`), or once a day at its cut-off.
    public var orderCycle: OrderCycle

    public init(id: Int64, name: String, endpointURL: String?, webhookSecret: String, endpointDisabled: Bool = false,
                orderCycle: OrderCycle = .immediate) {
        self.id = id
        self.orderCycle = orderCycle
        self.name = name
        self.endpointURL = endpointURL
        self.webhookSecret = webhookSecret
        self.endpointDisabled = endpointDisabled
    }

    public static func validate(name: String, endpointURL: String?) throws(DomainError) {
        try Validate.text(name, field: "name", maxLength: 200)
        if let endpointURL { try OutboundURL.validate(endpointURL, field: "endpoint_url") }
    }
}
