import Testing
import TuanDelivery

@Suite struct StandardWebhooksTests {
    // The reference vector from standard-webhooks' Go library (webhook_test.go, TestWebhookSign).
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    let timestamp: Int64 = 1_614_265_330
    let body = Array(#"{"test": 2432232314}"#.utf8)
    let expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    @Test func signsTheReferenceVector() throws {
        #expect(try StandardWebhooks.sign(id: id, timestamp: timestamp, body: body, secret: secret) == expected)
    }

    @Test func verifiesTheReferenceVectorAndRotatedSignatures() throws {
        try StandardWebhooks.verify(id: id, timestamp: String(timestamp), signature: expected, body: body, secret: secret,
                                    now: timestamp + 10)
        // During key rotation several signatures are sent; one match is enough.
        try StandardWebhooks.verify(id: id, timestamp: String(timestamp), signature: "v1,AAAA v2,zzz \(expected)", body: body,
                                    secret: secret, now: timestamp)
    }

    @Test func refusesForgeriesReplaysAndGarbage() {
        func refusal(id: String? = "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: String? = "1614265330", signature: String? = nil,
                     body: [UInt8]? = nil, now: Int64 = 1_614_265_330) -> StandardWebhooks.VerificationError? {
            do {
                try StandardWebhooks.verify(id: id, timestamp: timestamp, signature: signature ?? expected, body: body ?? self.body,
                                            secret: secret, now: now)
                return nil
            } catch { return error }
        }
        #expect(refusal(body: Array(#"{"test": 2432232315}"#.utf8)) == .noMatchingSignature)
        #expect(refusal(id: "msg_other") == .noMatchingSignature)
        #expect(refusal(signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OF=") == .noMatchingSignature)
        #expect(refusal(signature: "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=") == .noMatchingSignature)
        #expect(refusal(signature: "not a signature") == .noMatchingSignature)
        // Found by Scripts/fuzz (FuzzWebhookVerifier): the right MAC in a malformed token was
        // accepted, because splitting ",v1,<mac>" dropped the empty first part.
        #expect(refusal(signature: ",\(expected)") == .noMatchingSignature)
        #expect(refusal(signature: "v1,,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=") == .noMatchingSignature)
        #expect(refusal(now: 1_614_265_330 + 301) == .timestampOutOfTolerance)
        #expect(refusal(now: 1_614_265_330 - 301) == .timestampOutOfTolerance)
        #expect(refusal(timestamp: "1614265330.5") == .malformedTimestamp)
        #expect(refusal(timestamp: "-1") == .malformedTimestamp)
        #expect(refusal(id: nil) == .missingHeader("webhook-id"))
        #expect(refusal(timestamp: "") == .missingHeader("webhook-timestamp"))
        #expect(refusal(signature: "") == .missingHeader("webhook-signature"))
    }

    @Test func generatedSecretsRoundTrip() throws {
        let secret = WebhookSecret.generate()
        try WebhookSecret.validate(secret)
        let signature = try StandardWebhooks.sign(id: "msg_1", timestamp: 100, body: [1, 2, 3], secret: secret)
        try StandardWebhooks.verify(id: "msg_1", timestamp: "100", signature: signature, body: [1, 2, 3], secret: secret, now: 100)
        #expect(throws: StandardWebhooks.VerificationError.noMatchingSignature) {
            try StandardWebhooks.verify(id: "msg_1", timestamp: "100", signature: signature, body: [1, 2, 3],
                                        secret: WebhookSecret.generate(), now: 100)
        }
    }
}
