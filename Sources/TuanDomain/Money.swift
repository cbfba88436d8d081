/// An amount of one currency in integer minor units. Arithmetic checks overflow and refuses
/// to mix currencies: both would otherwise corrupt the ledger silently.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public let minor: Int64
    public let currency: Currency

    public init(minor: Int64, currency: Currency) {
        self.minor = minor
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(minor: 0, currency: currency) }

    public func adding(_ other: Money) throws(DomainError) -> Money {
        try requireSameCurrency(other)
        let (sum, overflow) = minor.addingReportingOverflow(other.minor)
        guard !overflow else { throw DomainError(.overflow, "\(self) + \(other) overflows") }
        return Money(minor: sum, currency: currency)
    }

    public func subtracting(_ other: Money) throws(DomainError) -> Money {
        try requireSameCurrency(other)
        let (difference, overflow) = minor.subtractingReportingOverflow(other.minor)
        guard !overflow else { throw DomainError(.overflow, "\(self) - \(other) overflows") }
        return Money(minor: difference, currency: currency)
    }

    public func multiplied(by factor: Int64) throws(DomainError) -> Money {
        let (product, overflow) = minor.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw DomainError(.overflow, "\(self) × \(factor) overflows") }
        return Money(minor: product, currency: currency)
    }

    public var negated: Money { Money(minor: -minor, currency: currency) }
    public var isZero: Bool { minor == 0 }

    private func requireSameCurrency(_ other: Money) throws(DomainError) {
        guard currency == other.currency else {
            throw DomainError(.currencyMismatch, "cannot combine \(currency) with \(other.currency)")
        }
    }

    /// "CNY 12.50": exact decimal rendering from the integer, never through a Double.
    public var description: String { "\(currency.code) \(decimalString)" }

    public var decimalString: String {
        let digits = currency.minorDigits
        guard digits > 0 else { return String(minor) }
        let magnitude = minor.magnitude
        var divisor: UInt64 = 1
        for _ in 0..<digits { divisor *= 10 }
        let whole = magnitude / divisor
        var fraction = String(magnitude % divisor)
        while fraction.count < digits { fraction = "0" + fraction }
        return (minor < 0 ? "-" : "") + "\(whole).\(fraction)"
    }

    /// Parses "12.5" or "12.50" into minor units of `currency` without floating point.
    public static func parse(_ text: String, currency: Currency, field: String) throws(DomainError) -> Money {
        var text = Substring(text.trimmingWhitespace())
        var negative = false
        if text.first == "-" { negative = true; text = text.dropFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let wholePart = parts.first, !wholePart.isEmpty,
              wholePart.utf8.allSatisfy(\.isASCIIDigit) else {
            throw .invalid(field, "must be a decimal amount like 12.50, got \"\(text)\"")
        }
        let fractionPart = parts.count == 2 ? parts[1] : ""
        guard fractionPart.utf8.allSatisfy(\.isASCIIDigit), fractionPart.count <= currency.minorDigits else {
            throw .invalid(field, "has more than \(currency.minorDigits) decimal places for \(currency)")
        }
        let padded = fractionPart + String(repeating: "0", count: currency.minorDigits - fractionPart.count)
        guard let whole = Int64(wholePart), let fraction = Int64(padded.isEmpty ? "0" : padded) else {
            throw .invalid(field, "is too large")
        }
        var scale: Int64 = 1
        for _ in 0..<currency.minorDigits { scale *= 10 }
        let (scaled, o1) = whole.multipliedReportingOverflow(by: scale)
        let (total, o2) = scaled.addingReportingOverflow(fraction)
        guard !o1, !o2 else { throw .invalid(field, "is too large") }
        return Money(minor: negative ? -total : total, currency: currency)
    }
}

extension UInt8 {
    var isASCIIDigit: Bool { self >= 48 && self <= 57 }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[start...end])
    }
}
