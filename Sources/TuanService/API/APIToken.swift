import TuanDomain

/// Bearer tokens: `tuan_` + 64 hex digits of randomness; only the SHA-256 is stored.
public enum APIToken {
    public static func generate() -> String { "tuan_" + randomHex() }

    /// 256 bits from the system generator, as 64 hex digits: tokens, session ids, form keys.
    static func randomHex() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexString
    }

    public static func hash(_ token: String) -> String { SHA256.hash(Array(token.utf8)).hexString }
}
