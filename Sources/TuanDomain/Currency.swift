/// An ISO 4217 alphabetic code with the number of minor-unit digits it uses.
/// Money is always stored as an integer count of minor units (fen, cents).
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    public let code: String
    public let minorDigits: Int

    /// Currencies whose minor unit is not 1/100. Everything else defaults to two digits.
    private static let exceptions: [String: Int] = [
        "JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "UGX": 0,
        "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3,
    ]

    public init(_ code: String) throws(DomainError) {
        let upper = code.uppercased()
        guard upper.utf8.count == 3, upper.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
            throw .invalid("currency", "must be a three-letter ISO 4217 code, got \"\(code)\"")
        }
        self.code = upper
        self.minorDigits = Currency.exceptions[upper] ?? 2
    }

    public static let cny = try! Currency("CNY")
    public var description: String { code }
}
