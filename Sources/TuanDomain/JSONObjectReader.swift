/// Typed, field-named access to a request object: every failure is a `DomainError` naming the
/// field, which the API turns into 422 and the CLI into a one-line error. Unknown fields are
/// rejected so that a typo ("quantiy") is never silently ignored.
///
/// `allowed` is a list, not a set, and fields are found by scanning: every key must be
/// allowed and keys are unique (the parser refuses duplicates), so an object has at most a
/// dozen or so fields, and a scan beats building a hash table for each request.
public struct JSONObjectReader {
    private let fields: [JSONValue.Field]
    private let prefix: String

    public init(_ value: JSONValue, allowed: [String], prefix: String = "") throws(DomainError) {
        guard case .object(let list) = value else {
            throw .invalid(prefix.isEmpty ? "body" : String(prefix.dropLast()), "must be a JSON object")
        }
        for field in list where !allowed.contains(field.key) {
            throw .invalid(prefix + field.key, "is not a known field")
        }
        self.fields = list
        self.prefix = prefix
    }

    /// Whether the object has `key` at all, `null` included (a PATCH's `"cap": null` removes the cap).
    public func contains(_ key: String) -> Bool { fields.contains { $0.key == key } }

    private func present(_ key: String) -> JSONValue? {
        guard let value = fields.first(where: { $0.key == key })?.value, value != .null else { return nil }
        return value
    }

    public func optionalString(_ key: String) throws(DomainError) -> String? {
        guard let value = present(key) else { return nil }
        guard case .string(let s) = value else { throw .invalid(prefix + key, "must be a string") }
        return s
    }

    public func string(_ key: String) throws(DomainError) -> String {
        guard let s = try optionalString(key) else { throw .invalid(prefix + key, "is required") }
        return s
    }

    public func optionalInt(_ key: String) throws(DomainError) -> Int64? {
        guard let value = present(key) else { return nil }
        switch value {
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 9e15: return Int64(d)
        default: throw .invalid(prefix + key, "must be an integer")
        }
    }

    public func int(_ key: String) throws(DomainError) -> Int64 {
        guard let i = try optionalInt(key) else { throw .invalid(prefix + key, "is required") }
        return i
    }

    public func optionalBool(_ key: String) throws(DomainError) -> Bool? {
        guard let value = present(key) else { return nil }
        guard case .bool(let b) = value else { throw .invalid(prefix + key, "must be true or false") }
        return b
    }

    public func optionalTimestamp(_ key: String) throws(DomainError) -> Timestamp? {
        guard let s = try optionalString(key) else { return nil }
        guard let t = Timestamp(rfc3339: s) else { throw .invalid(prefix + key, "must be an RFC 3339 time like 2026-12-01T12:00:00Z") }
        return t
    }

    public func timestamp(_ key: String) throws(DomainError) -> Timestamp {
        guard let t = try optionalTimestamp(key) else { throw .invalid(prefix + key, "is required") }
        return t
    }

    public func optionalArray(_ key: String) throws(DomainError) -> [JSONValue]? {
        guard let value = present(key) else { return nil }
        guard case .array(let a) = value else { throw .invalid(prefix + key, "must be an array") }
        return a
    }

    /// A nested object, read with its own allowed fields; errors name it as `key.field`.
    public func optionalObject(_ key: String, allowed: [String]) throws(DomainError) -> JSONObjectReader? {
        guard let value = present(key) else { return nil }
        return try JSONObjectReader(value, allowed: allowed, prefix: prefix + key + ".")
    }

    /// A nested object whose names are data, not fields (a product's attributes), in order.
    public func optionalFields(_ key: String) throws(DomainError) -> [JSONValue.Field]? {
        guard let value = present(key) else { return nil }
        guard case .object(let fields) = value else { throw .invalid(prefix + key, "must be an object") }
        return fields
    }

    public func field(_ key: String) -> String { prefix + key }
}
