import TuanDomain

/// Parsing shared by the API and the CLI, so both accept and refuse the same spellings: any
/// string enum (order statuses, delivery states, roles) by its raw values.
extension RawRepresentable where Self: CaseIterable, RawValue == String {
    static func parse(_ text: String, field: String) throws(DomainError) -> Self {
        guard let value = Self(rawValue: text) else {
            throw .invalid(field, "must be one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

extension Timestamp {
    /// A calendar date (`2026-12-01`, meaning its start in UTC) or a full RFC 3339 time.
    static func parseDate(_ text: String, field: String) throws(DomainError) -> Timestamp {
        guard let date = Timestamp(rfc3339: text.utf8.count == 10 ? text + "T00:00:00Z" : text) else {
            throw .invalid(field, "must be a date (2026-12-01) or an RFC 3339 time")
        }
        return date
    }
}
