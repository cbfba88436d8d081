/// The code a consumer shows to collect a pledge (核销): the pledge's id and six characters
/// derived from it with the deployment's secret (HMAC-SHA256, Crockford base32, 30 bits), so
/// it is short, needs nothing stored per pledge, and cannot be guessed from the id:
/// `18342-7KQ2MZ`. Reading it forgives case, spaces, and I/L/O typed for 1/1/0.
public enum PickupCode {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    static let length = 6

    public static func code(pledgeID: Int64, secret: [UInt8]) -> String {
        String(pledgeID) + "-" + String(decoding: check(pledgeID: pledgeID, secret: secret), as: UTF8.self)
    }

    /// The pledge id a typed code names and whether its check matches (compared in constant
    /// time); nil when the text is not a code at all.
    public static func verify(_ text: String, secret: [UInt8]) -> (pledgeID: Int64, matches: Bool)? {
        var bytes: [UInt8] = []
        for byte in text.utf8 where byte != UInt8(ascii: " ") && byte != UInt8(ascii: "-") {
            var b = byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
            if b == UInt8(ascii: "I") || b == UInt8(ascii: "L") { b = UInt8(ascii: "1") }
            if b == UInt8(ascii: "O") { b = UInt8(ascii: "0") }
            bytes.append(b)
        }
        guard bytes.count > length, bytes.count <= length + 19 else { return nil }
        let digits = bytes.dropLast(length), given = Array(bytes.suffix(length))
        guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), given.allSatisfy(alphabet.contains),
              let id = Int64(String(decoding: digits, as: UTF8.self)), id > 0 else { return nil }
        return (id, HMACSHA256.constantTimeEquals(given, check(pledgeID: id, secret: secret)))
    }

    private static func check(pledgeID: Int64, secret: [UInt8]) -> [UInt8] {
        let mac = HMACSHA256.authenticationCode(key: secret, message: Array("pickup-code:\(pledgeID)".utf8))
        // 30 bits from the first four bytes, five at a time.
        let bits = UInt32(mac[0]) << 24 | UInt32(mac[1]) << 16 | UInt32(mac[2]) << 8 | UInt32(mac[3])
        return (0..<length).map { alphabet[Int((bits >> UInt32(27 - 5 * $0)) & 0x1F)] }
    }
}
