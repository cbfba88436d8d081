/// An ISO 4217 alphabetic code with the number of minor-unit digits it uses.
/// Money is always stored as an integer count of minor units (fen, cents).
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    public let code: String
    public let minorDigits: Int

    /// The active ISO 4217 codes, each with its minor-unit digits (most use two).
    private static let minorDigitsByCode: [String: Int] = {
        var digits: [String: Int] = [:]
        for code in """
            AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CNY COP \
            CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR \
            JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN \
            NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP \
            SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWG
            """.split(separator: " ") { digits[String(code)] = 2 }
        for code in "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF".split(separator: " ") { digits[String(code)] = 0 }
        for code in "BHD IQD JOD KWD LYD OMR TND".split(separator: " ") { digits[String(code)] = 3 }
        return digits
    }()

    public init(_ code: String) throws(DomainError) {
        let upper = code.uppercased()
        guard upper.utf8.count == 3, let digits = Currency.minorDigitsByCode[upper] else {
            throw .invalid("currency", "must be an active ISO 4217 code such as CNY, got \"\(code.prefix(16))\"")
        }
        self.code = upper
        self.minorDigits = digits
    }

    /// A stored code, restored without the check: a row written by an older build stays
    /// readable even if the list has since dropped its code. Unknown codes get two digits.
    public init(restoring code: String) {
        self.code = code
        self.minorDigits = Currency.minorDigitsByCode[code] ?? 2
    }

    public static let cny = try! Currency("CNY")
    public var description: String { code }
}
