import TuanDomain
import TuanApp

/// Checks every reply against the model as it comes, and every invariant after every step:
/// the ledger balances and its running balances equal its postings, escrow equals the
/// deposits held, each campaign's counters equal the model's and (while open) its live rows,
/// no cap is passed, every pledge has the status the model expects, each leader's commission
/// equals what its filled pledges carry, and each campaign order confirms the units pledged.
/// And the event stream: numbered without gaps, and every pledge told of once per status it
/// has passed through (created, then confirmed, cancelled, paid, defaulted, refunded).
struct SimulationAuditor {
    let seed: UInt64
    var step = 0
    /// The events read so far (`seq` up to `eventsRead`), by pledge and type.
    private var eventsRead: Int64 = 0
    private var pledgeEvents: [Int64: [EventType: Int]] = [:]
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
        let after = eventsRead
        let (problems, events, rows) = try app.snapshotBlocking { db in
            (try Self.problems(in: db, model: model), try db.events(after: after, types: nil, campaignID: nil, limit: .max),
             try model.campaigns.keys.sorted().flatMap { try db.pledges(campaignID: $0) })
        }
        if let first = problems.first { throw AuditedSimulation.Failure(seed: seed, step: step, message: first) }
        if let gap = readEvents(events) { throw AuditedSimulation.Failure(seed: seed, step: step, message: gap) }
        if let missing = rows.lazy.compactMap(pledgeEventProblem).first {
            throw AuditedSimulation.Failure(seed: seed, step: step, message: missing)
        }
    }

    /// Takes in the events since the last step; names a gap or a repeat in their numbers.
    private mutating func readEvents(_ events: [StoredEvent]) -> String? {
        for event in events {
            guard event.seq == eventsRead + 1 else { return "event \(event.seq) follows event \(eventsRead): the stream has a gap" }
            eventsRead = event.seq
            if case .pledge = event.type.resource, event.type != .pledgeBalanceDue {
                pledgeEvents[event.subjectID, default: [:]][event.type, default: 0] += 1
            }
        }
        return nil
    }

    /// What is wrong with the events told of `pledge`: each status it reached once, no other.
    private func pledgeEventProblem(_ pledge: Pledge) -> String? {
        var expected: [EventType] = [.pledgeCreated]
        switch pledge.status {
        case .pledged: break
        case .confirmed: expected.append(.pledgeConfirmed)
        case .paid, .defaulted: expected += [.pledgeConfirmed, .pledge(pledge.status)]
        case .cancelled: expected.append(.pledgeCancelled)
        case .refunded:
            // Refunded at the close (never confirmed), or after it by a short supplier answer,
            // confirmed and perhaps paid by then.
            let told = pledgeEvents[pledge.id] ?? [:]
            if told[.pledgeConfirmed] != nil { expected.append(.pledgeConfirmed) }
            if told[.pledgePaid] != nil, told[.pledgeConfirmed] != nil { expected.append(.pledgePaid) }
            expected.append(.pledgeRefunded)
        }
        let told = pledgeEvents[pledge.id] ?? [:]
        let wanted = Dictionary(expected.map { ($0, 1) }, uniquingKeysWith: +)
        guard told == wanted else {
            let list = told.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) × \($0.value)" }
            return "pledge \(pledge.id) is \(pledge.status.rawValue) but its events are [\(list.joined(separator: ", "))]"
        }
        return nil
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
