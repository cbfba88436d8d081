/// Small input checks shared by the value types' validators.
enum Validate {
    /// Non-empty text of at most `maxLength` Unicode scalars (not grapheme clusters: one letter
    /// with thousands of combining marks is one character but thousands of scalars), with no
    /// C0, DEL or C1 control characters (tab allowed).
    static func text(_ value: String, field: String, maxLength: Int) throws(DomainError) {
        guard !value.trimmingWhitespace().isEmpty else { throw .invalid(field, "must not be empty") }
        guard value.unicodeScalars.count <= maxLength else {
            throw .invalid(field, "must be at most \(maxLength) characters")
        }
        guard !value.unicodeScalars.contains(where: \.isControl) else {
            throw .invalid(field, "must not contain control characters")
        }
    }

    /// An amount of money between `minimum` and `Bounds.unitAmountMinor` minor units.
    static func amount(_ money: Money, field: String, minimum: Int64 = 0) throws(DomainError) {
        guard money.minor >= minimum else {
            throw .invalid(field, minimum == 0 ? "must not be negative" : "must be at least \(minimum)")
        }
        guard money.minor <= Bounds.unitAmountMinor else {
            throw .invalid(field, "must be at most \(Bounds.unitAmountMinor) minor units")
        }
    }

    /// An instant between `Bounds.earliestInstant` and `Bounds.latestInstant`.
    static func instant(_ instant: Timestamp, field: String) throws(DomainError) {
        guard instant >= Bounds.earliestInstant, instant <= Bounds.latestInstant else {
            throw .invalid(field, "must be between \(Bounds.earliestInstant) and \(Bounds.latestInstant)")
        }
    }

    /// A whole number in `range`.
    static func quantity(_ value: Int64, field: String, in range: ClosedRange<Int64>) throws(DomainError) {
        guard range.contains(value) else { throw .invalid(field, "must be between \(range.lowerBound) and \(range.upperBound)") }
    }

    static func positive(_ value: Int64, field: String, max: Int64 = 1_000_000_000) throws(DomainError) {
        guard value >= 1 else { throw .invalid(field, "must be at least 1") }
        guard value <= max else { throw .invalid(field, "must be at most \(max)") }
    }

    static func identifier(_ value: String, field: String) throws(DomainError) {
        guard !value.isEmpty, value.utf8.count <= 64,
              value.utf8.allSatisfy({ $0.isASCIIDigit || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) || $0 == 45 || $0 == 95 || $0 == 46 })
        else { throw .invalid(field, "must be 1-64 characters of letters, digits, '-', '_' or '.'") }
    }
}

extension Unicode.Scalar {
    /// C0 controls other than tab, DEL, and the C1 controls.
    var isControl: Bool { (value < 0x20 && self != "\t") || (0x7F...0x9F).contains(value) }
}
