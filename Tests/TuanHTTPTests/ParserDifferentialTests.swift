import Testing
@testable import TuanHTTP

/// The byte-level parser against the slice-based one it replaced: on well-formed requests
/// and on thousands of mutations of them, both give the same answer.
struct ParserDifferentialTests {
    static let seeds: [String] = [
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /v1/campaigns/1/pledges HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 13\r\nAuthorization: Bearer abc\r\nIdempotency-Key: k-1\r\n\r\n{\"quantity\":1}",
        "GET /a?b=c HTTP/1.0\r\n\r\n",
        "PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\nExpect: 100-continue\r\n\r\nabc",
        "OPTIONS * HTTP/1.1\r\nHost: h\r\nX-Empty:\r\nX-Tabs:\t v \t\r\n\r\n",
        "GET / HTTP/2.0\r\nHost: x\r\n\r\n",
        "POST /e HTTP/1.1\r\nHost: x\r\nContent-Length:\r\nContent-Length: 2\r\n\r\nab",
        "POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 00\r\nTransfer-Encoding: chunked\r\n\r\n",
    ]
    static let alphabet: [UInt8] = Array(" \t\r\n:/*?%,\u{7F}\u{00}aZ09-HTTP1.".utf8) + [0xC3, 0xA9, 0xFF]

    @Test func agreesWithTheReferenceParser() {
        var rng = SplitMix(seed: 8)
        var limits = HTTPLimits()
        limits.maxHeaderCount = 4
        limits.maxRequestLineBytes = 64
        limits.maxHeaderBytes = 160
        limits.maxBodyBytes = 8
        var checked = 0
        var outcomes = Set<String>()
        for seed in Self.seeds {
            let original = Array(seed.utf8)
            for round in 0..<1_500 {
                var bytes = original
                for _ in 0..<(round % 4) {
                    let at = Int(rng.next() % UInt64(bytes.count + 1))
                    switch rng.next() % 4 {
                    case 0 where at < bytes.count: bytes[at] = Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))]
                    case 1: bytes.insert(Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))], at: at)
                    case 2 where at < bytes.count: bytes.remove(at: at)
                    default: bytes = Array(bytes[0..<at])
                    }
                }
                for limit in [HTTPLimits(), limits] {
                    let fast = describe(HTTPRequestParser.parse(bytes[...], limits: limit))
                    let reference = describe(ReferenceHTTPParser.parse(bytes[...], limits: limit))
                    #expect(fast == reference, "input: \(String(decoding: bytes, as: UTF8.self).debugDescription)")
                    checked += 1
                    outcomes.insert(String(fast.prefix(12)))
                }
            }
        }
        #expect(checked == Self.seeds.count * 3_000)
        // The mutations reach every kind of answer, including several distinct failures.
        #expect(outcomes.contains("incomplete f") && outcomes.contains("request GET ") && outcomes.count >= 8, "\(outcomes)")
    }

    private func describe(_ result: HTTPRequestParser.Result) -> String {
        switch result {
        case .incomplete(let expects): return "incomplete \(expects)"
        case .failure(let error): return "failure \(error.status) \(error.message)"
        case .request(let r, let consumed): return describe(r, consumed)
        }
    }

    private func describe(_ result: ReferenceHTTPParser.Result) -> String {
        switch result {
        case .incomplete(let expects): return "incomplete \(expects)"
        case .failure(let error): return "failure \(error.status) \(error.message)"
        case .request(let r, let consumed): return describe(r, consumed)
        }
    }

    private func describe(_ r: HTTPRequest, _ consumed: Int) -> String {
        "request \(r.method) \(r.target) \(r.version) \(r.headers.fields.map { "\($0.name)=\($0.value)" }) \(r.body) \(consumed)"
    }
}

/// A small deterministic generator for the mutations.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
