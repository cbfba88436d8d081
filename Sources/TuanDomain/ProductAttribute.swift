/// One attribute that tells a style's variants apart (`size`: `XL`, `colour`: `navy`). Kept
/// in the order given: pages and orders show them so.
public struct ProductAttribute: Hashable, Sendable {
    public var name: String
    public var value: String

    /// A variant has a few of them (size, colour, fit); more is a data error.
    public static let maximumCount = 8

    public init(name: String, value: String) throws(DomainError) {
        try Validate.identifier(name, field: "attributes")
        guard name.utf8.count <= 32 else { throw .invalid("attributes", "an attribute's name is at most 32 characters") }
        try Validate.text(value, field: "attributes.\(name)", maxLength: 64)
        self.init(restoringName: name, value: value)
    }

    public init(restoringName name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Checks a product's list: at most `maximumCount`, each name once.
    public static func validate(_ attributes: [ProductAttribute]) throws(DomainError) {
        guard attributes.count <= maximumCount else { throw .invalid("attributes", "at most \(maximumCount) attributes") }
        var names = Set<String>()
        for attribute in attributes where !names.insert(attribute.name).inserted {
            throw .invalid("attributes", "\(attribute.name) is given twice")
        }
    }
}
