import Foundation
import TuanDomain

/// Signing and verification the Standard Webhooks way (standard-webhooks v1.0.0): the signed
/// content is `{webhook-id}.{webhook-timestamp}.{body}`, HMAC-SHA256 with the secret's bytes,
/// sent as `v1,<base64>`; several space-separated signatures may be present during key rotation.
public enum StandardWebhooks {
    public enum Header {
        public static let id = "webhook-id"
        public static let timestamp = "webhook-timestamp"
        public static let signature = "webhook-signature"
    }

    /// How far a timestamp may be from the receiver's clock, either way (the reference
    /// libraries use five minutes): older deliveries are replays, newer ones forged.
    public static let defaultTolerance: Int64 = 300

    public enum VerificationError: Error, Equatable, Sendable, CustomStringConvertible {
        case missingHeader(String)
        case malformedTimestamp
        case timestampOutOfTolerance
        case noMatchingSignature
        case invalidSecret

        public var description: String {
            switch self {
            case .missingHeader(let name): "missing \(name) header"
            case .malformedTimestamp: "webhook-timestamp is not an integer number of seconds"
            case .timestampOutOfTolerance: "webhook-timestamp is too old or too far in the future"
            case .noMatchingSignature: "no signature matches"
            case .invalidSecret: "the signing secret is not whsec_ + base64"
            }
        }
    }

    /// `v1,<base64 HMAC-SHA256>` of `id.timestamp.body`.
    public static func sign(id: String, timestamp: Int64, body: [UInt8], secret: String) throws(VerificationError) -> String {
        guard let key = WebhookSecret.key(secret), !key.isEmpty else { throw .invalidSecret }
        return "v1," + Data(mac(key: key, id: id, timestamp: String(timestamp), body: body)).base64EncodedString()
    }

    /// Checks a received delivery. `now` is Unix seconds.
    public static func verify(id: String?, timestamp: String?, signature: String?, body: [UInt8], secret: String,
                              now: Int64, tolerance: Int64 = defaultTolerance) throws(VerificationError) {
        guard let id, !id.isEmpty else { throw .missingHeader(Header.id) }
        guard let timestamp, !timestamp.isEmpty else { throw .missingHeader(Header.timestamp) }
        guard let signature, !signature.isEmpty else { throw .missingHeader(Header.signature) }
        guard timestamp.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), timestamp.utf8.count <= 12, let seconds = Int64(timestamp) else {
            throw .malformedTimestamp
        }
        guard abs(now - seconds) <= tolerance else { throw .timestampOutOfTolerance }
        guard let key = WebhookSecret.key(secret), !key.isEmpty else { throw .invalidSecret }
        // Compare canonical base64 text, not decoded bytes: lenient decoders ignore the padding
        // bits, so decoding would accept several spellings of one signature.
        let expected = Array(Data(mac(key: key, id: id, timestamp: timestamp, body: body)).base64EncodedString().utf8)
        for candidate in signature.split(separator: " ") {
            // Empty parts are kept: ",v1,<mac>" must not read as "v1,<mac>".
            let parts = candidate.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == "v1" else { continue }
            if HMACSHA256.constantTimeEquals(Array(parts[1].utf8), expected) { return }
        }
        throw .noMatchingSignature
    }

    private static func mac(key: [UInt8], id: String, timestamp: String, body: [UInt8]) -> [UInt8] {
        var message = Array(id.utf8)
        message.append(UInt8(ascii: "."))
        message += timestamp.utf8
        message.append(UInt8(ascii: "."))
        message += body
        return HMACSHA256.authenticationCode(key: key, message: message)
    }
}
