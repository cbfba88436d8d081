/// Small input checks shared by the value types' validators.
enum Validate {
    static func text(_ value: String, field: String, maxLength: Int) throws(DomainError) {
        guard !value.trimmingWhitespace().isEmpty else { throw .invalid(field, "must not be empty") }
        guard value.count <= maxLength else { throw .invalid(field, "must be at most \(maxLength) characters") }
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" }) else {
            throw .invalid(field, "must not contain control characters")
        }
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
