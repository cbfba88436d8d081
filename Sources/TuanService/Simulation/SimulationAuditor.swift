import TuanDomain
import TuanApp

/// Checks every reply against the model as it comes, and every invariant after every step:
/// the ledger balances and its running balances equal its postings, escrow equals the
/// deposits held, each campaign's counters equal the model's and (while open) its live rows,
/// no cap is passed, every pledge has the status the model expects, each leader's commission
/// equals what its filled pledges carry, and each campaign order confirms the units pledged.
struct SimulationAuditor {
    let seed: UInt64
    var step = 0
    /// The first broken expectation of the current step, if any.
    private var failure: String?

    init(seed: UInt64) { self.seed = seed }

    mutating func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition, failure == nil { failure = message() }
    }

    mutating func expectRefusal(_ code: DomainError.Code, _ what: String, _ body: () throws -> Void) {
        do {
            try body()
            expect(false, "\(what) was accepted; expected \(code)")
        } catch let error as DomainError {
            expect(error.code == code, "\(what) refused \(error.code); expected \(code)")
        } catch {
            expect(false, "\(what) failed with \(error); expected \(code)")
        }
    }

    mutating func expectThrows<E: Error>(_ type: E.Type, _ what: String, _ body: () throws -> Void) {
        do {
            try body()
            expect(false, "\(what) did not fail")
        } catch {
            expect(error is E, "\(what) failed with \(error)")
        }
    }

    /// Throws the step's first broken expectation, or the first broken invariant.
    mutating func checkInvariants(app: TuanApplication, model: SimulationModel) throws {
        if let failure { throw AuditedSimulation.Failure(seed: seed, step: step, message: failure) }
        let problems = try app.snapshotBlocking { db in try Self.problems(in: db, model: model) }
        if let first = problems.first { throw AuditedSimulation.Failure(seed: seed, step: step, message: first) }
    }

    private static func problems(in db: any Repositories, model: SimulationModel) throws -> [String] {
        var problems: [String] = []
        let running = try db.ledgerBalances(), audit = try db.ledgerBalancesFromPostings()
        if !running.isBalanced { problems.append("the running balances do not sum to zero") }
        if running != audit { problems.append("the running balances differ from the sum of the postings") }
        let held = try db.depositsHeld()["CNY"] ?? 0
        if running.escrowHeld(currency: "CNY") != held {
            problems.append("escrow holds \(running.escrowHeld(currency: "CNY")), deposits held are \(held)")
        }
        var commissions: [String: Int64] = [:]
        for (id, expected) in model.campaigns.sorted(by: { $0.key < $1.key }) {
            let campaign = try db.requireCampaign(id: id)
            let rows = try db.pledges(campaignID: id)
            if campaign.pledgedQuantity != expected.pledged || campaign.pledgeCount != expected.count {
                problems.append("campaign \(id) counts \(campaign.pledgedQuantity) units in \(campaign.pledgeCount) pledges; expected \(expected.pledged) in \(expected.count)")
            }
            if !expected.closed {
                let live = rows.filter { $0.status == .pledged }
                if live.reduce(0, { $0 + $1.quantity }) != campaign.pledgedQuantity || Int64(live.count) != campaign.pledgeCount {
                    problems.append("campaign \(id)'s counters differ from its live pledge rows")
                }
            }
            if let cap = campaign.cap, campaign.pledgedQuantity > cap { problems.append("campaign \(id) passed its cap \(cap)") }
            if campaign.status.acceptsPledges == expected.closed { problems.append("campaign \(id) is \(campaign.status.rawValue)") }
            for row in rows {
                if let modelled = model.pledges[row.id], modelled.status != row.status {
                    problems.append("pledge \(row.id) is \(row.status.rawValue); expected \(modelled.status.rawValue)")
                }
                if row.status == .confirmed || row.status == .paid, let code = row.leaderCode, let commission = row.commission {
                    commissions[code, default: 0] += commission.minor
                }
            }
            if let order = try db.purchaseOrder(campaignID: id) {
                let line = order.lines[0]
                if !expected.succeeded || line.confirmedQuantity != expected.confirmedAtClose || line.orderQuantity < line.confirmedQuantity {
                    problems.append("\(order.number) confirms \(line.confirmedQuantity) and orders \(line.orderQuantity); expected \(expected.confirmedAtClose) confirmed")
                }
            } else if expected.succeeded, expected.confirmedAtClose > 0 {
                problems.append("campaign \(id) succeeded with \(expected.confirmedAtClose) units and has no purchase order")
            }
        }
        for code in model.leaderCodes {
            let earned = try db.commissionEarned(leaderCode: code)["CNY"] ?? 0
            if earned != commissions[code, default: 0] {
                problems.append("leader \(code) earned \(earned); its filled pledges carry \(commissions[code, default: 0])")
            }
        }
        return problems
    }
}
