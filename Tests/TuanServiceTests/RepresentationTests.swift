import Testing
import TuanDomain
@testable import TuanService

/// Representations written two ways (a `JSONValue` for lists and the command line, bytes for
/// the hot responses) must agree field for field.
@Suite struct RepresentationTests {
    private static let t0 = Timestamp(seconds: 1_800_000_000)

    private static func pledge(_ request: PledgeRequest, teamID: Int64? = nil) -> Pledge {
        Pledge(id: 7, campaignID: 3, request: request, deposit: Money(minor: 250, currency: .cny), teamID: teamID, at: t0)
    }

    @Test func pledgeBytesMatchItsJSONValue() throws {
        var full = Self.pledge(try PledgeRequest(consumerID: "wei \"小王\"", quantity: 2, leaderCode: "L1", pickupPoint: "Gate 3 \\ east",
                                                 depositPaymentRef: "pay-9", idempotencyKey: "k1"), teamID: 12)
        full.commission = Money(minor: 30, currency: .cny)
        full.status = .confirmed
        let bare = Self.pledge(try PledgeRequest(consumerID: "c1", quantity: 1, idempotencyKey: "k2"))
        for pledge in [full, bare] {
            #expect(try JSONParser.parse(pledge.jsonBytes()) == pledge.json)
            #expect(pledge.jsonBytes() == pledge.json.bytes)
        }
        let team = Team(id: 12, campaignID: 3, code: "T7K2M9QX", size: 3, memberCount: 1, status: .forming,
                        expiresAt: Self.t0.adding(seconds: 3600), createdAt: Self.t0)
        guard case .object(let fields) = full.json else { Issue.record("not an object"); return }
        #expect(try JSONParser.parse(full.jsonBytes(team: team)) == .object(fields + [.init("team", team.json)]))
    }
}
