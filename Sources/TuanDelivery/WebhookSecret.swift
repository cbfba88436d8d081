import Foundation
import TuanDomain

/// Standard Webhooks symmetric secrets: `whsec_` + base64 of 24-64 random bytes.
public enum WebhookSecret {
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "whsec_" + Data(bytes).base64EncodedString()
    }

    public static func validate(_ secret: String) throws(DomainError) {
        guard secret.hasPrefix("whsec_"), let key = Data(base64Encoded: String(secret.dropFirst(6))),
              (16...64).contains(key.count) else {
            throw .invalid("secret", "must be whsec_ followed by base64 of 16-64 bytes")
        }
    }

    /// The HMAC key bytes.
    public static func key(_ secret: String) -> [UInt8]? {
        let body = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        return Data(base64Encoded: body).map { Array($0) }
    }
}
