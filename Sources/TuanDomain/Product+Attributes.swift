extension Product {
    /// The attributes as one JSON object, in their order: how they are stored and shown.
    public var attributesJSON: JSONValue { .object(attributes.map { JSONValue.Field($0.name, .string($0.value)) }) }
}

extension Product {
    /// A style name as products carry it (a filter naming anything else is refused).
    public static func checkStyle(_ style: String) throws(DomainError) { try Validate.identifier(style, field: "style") }
}
