/// Header fields in arrival order; lookups ignore case as RFC 9110 requires.
public struct HTTPHeaders: Sendable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init() {}
    /// Room for two more: the server's middleware adds a field or two to most responses.
    public init(_ fields: [(String, String)]) {
        self.fields.reserveCapacity(fields.count + 2)
        for (name, value) in fields { self.fields.append((name, value)) }
    }

    /// For the parser: room for a typical request's fields up front.
    init(capacity: Int) { fields.reserveCapacity(capacity) }

    public subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    public func all(_ name: String) -> [String] {
        var values: [String] = []
        for field in fields where field.name.caseInsensitiveEquals(name) { values.append(field.value) }
        return values
    }

    /// How many fields have this name, without collecting them.
    public func count(of name: String) -> Int {
        var count = 0
        for field in fields where field.name.caseInsensitiveEquals(name) { count += 1 }
        return count
    }

    public mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }

    public mutating func set(_ name: String, _ value: String) {
        fields.removeAll { $0.name.caseInsensitiveEquals(name) }
        fields.append((name, value))
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }
    public var count: Int { fields.count }
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }
}

extension String {
    /// ASCII case-insensitive equality, as header names need. A plain byte loop: this runs
    /// for every header lookup of every request.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        // Most names differ in length, which native strings know without a scan.
        guard utf8.count == other.utf8.count else { return false }
        var a = self, b = other
        return a.withUTF8 { x in
            b.withUTF8 { y in
                guard x.count == y.count else { return false }
                for i in 0..<x.count where x[i] != y[i] {
                    let lower = x[i] | 0x20
                    guard lower == y[i] | 0x20, lower >= 97, lower <= 122 else { return false }
                }
                return true
            }
        }
    }
}
