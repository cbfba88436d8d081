/// Where a representation writes its fields, in order. One `writeJSON(to:)` per type then
/// gives both a `JSONValue` (`JSONFieldList`) and response bytes (`JSONObjectWriter`)
/// without a second description of the same shape to keep in step.
///
/// Keys are static strings that need no escaping (they are our own field names).
public protocol JSONObjectSink {
    mutating func field(_ key: StaticString, _ value: Int64)
    mutating func field(_ key: StaticString, _ value: String)
    mutating func field(_ key: StaticString, _ value: JSONValue)
}

extension JSONObjectSink {
    public mutating func field(_ key: StaticString, _ value: Int64?) {
        if let value { field(key, value) } else { field(key, JSONValue.null) }
    }

    public mutating func field(_ key: StaticString, _ value: String?) {
        if let value { field(key, value) } else { field(key, JSONValue.null) }
    }

    public mutating func field(_ key: StaticString, _ value: Timestamp?) { field(key, value?.rfc3339) }
}

/// Collects the fields of a `JSONValue.object`.
public struct JSONFieldList: JSONObjectSink {
    public private(set) var fields: [JSONValue.Field] = []

    public init() {}

    public var object: JSONValue { .object(fields) }

    public mutating func field(_ key: StaticString, _ value: Int64) { fields.append(.init(key.description, .int(value))) }
    public mutating func field(_ key: StaticString, _ value: String) { fields.append(.init(key.description, .string(value))) }
    public mutating func field(_ key: StaticString, _ value: JSONValue) { fields.append(.init(key.description, value)) }
}

/// Writes one JSON object straight into bytes, the same bytes `JSONValue.bytes` gives for the
/// same fields. For the responses sent thousands of times a second (a pledge): building the
/// tree of enums and strings first and then walking it cost more than the writing itself.
public struct JSONObjectWriter: JSONObjectSink {
    private var out: [UInt8] = []

    public init(capacity: Int = 512) {
        out.reserveCapacity(capacity)
        out.append(UInt8(ascii: "{"))
    }

    /// Closes the object and hands over its bytes without a copy.
    public consuming func finish() -> [UInt8] {
        out.append(UInt8(ascii: "}"))
        return out
    }

    public mutating func field(_ key: StaticString, _ value: Int64) {
        writeKey(key)
        JSONValue.appendDecimal(value, to: &out)
    }

    public mutating func field(_ key: StaticString, _ value: String) {
        writeKey(key)
        JSONValue.writeString(value, to: &out)
    }

    public mutating func field(_ key: StaticString, _ value: JSONValue) {
        writeKey(key)
        value.appendCompact(to: &out)
    }

    /// A value already serialised (an event's stored resource), written as it is: the caller
    /// vouches that `json` is one complete JSON value (it was written by `JSONValue`).
    public mutating func field(_ key: StaticString, serialized json: some Sequence<UInt8>) {
        writeKey(key)
        out.append(contentsOf: json)
    }

    private mutating func writeKey(_ key: StaticString) {
        if out.count > 1 { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }
}
