import Testing
@testable import TuanDomain

@Suite struct PurchaseOrderTests {
    let t0 = Fixtures.t0

    /// A succeeded campaign with random pledges, its settlement and order.
    func settled(_ rng: inout SeededGenerator, pledgeCount: Int? = nil) throws -> (CampaignSettlement, PurchaseOrder, [Pledge]) {
        var c = Fixtures.campaign(threshold: 1, cap: nil)
        c.maxPerPledge = 100
        var pledges: [Pledge] = []
        for i in 0..<(pledgeCount ?? Int.random(in: 1...40, using: &rng)) {
            let r = Fixtures.request("c\(i)", Int64.random(in: 1...20, using: &rng), pickup: ["North", "South", nil].randomElement(using: &rng)!,
                                     leader: ["wang", nil].randomElement(using: &rng)!)
            c = try c.accepting(quantity: r.quantity, at: t0)
            pledges.append(Pledge(id: Int64(i + 1), campaignID: c.id, request: r, deposit: try c.deposit(for: r.quantity),
                                  at: t0.adding(seconds: Int64(i))))
        }
        let product = Fixtures.product(casePack: Int64.random(in: 1...12, using: &rng), moq: Int64.random(in: 0...50, using: &rng))
        let s = try CampaignSettlement.settle(c, pledges: pledges, product: product, reason: .closed, at: c.closesAt)
        return (s, try #require(s.purchaseOrder), s.pledges)
    }

    /// Property: the order carries the demand whole — destinations sum to the confirmed pledges,
    /// rounding only adds, and its cost is what the ledger owes the supplier.
    @Test func ordersConserveQuantitiesAndMatchThePayable() throws {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            let (s, order, pledges) = try settled(&rng)
            let line = try #require(order.lines.first)
            #expect(order.lines.count == 1 && order.status == .open && order.supplierID == s.demand?.supplierID)
            #expect(line.confirmedQuantity == pledges.reduce(0) { $0 + $1.quantity })
            #expect(line.destinations.reduce(0) { $0 + $1.quantity } == line.confirmedQuantity)
            #expect(line.orderQuantity - line.confirmedQuantity == line.roundingSurplus && line.roundingSurplus >= 0)
            let payable = s.journal.filter { $0.kind == .supplierPayable }.flatMap(\.postings)
                .filter { $0.account == .supplierPayables }.reduce(0) { $0 + $1.amountMinor }
            #expect(-payable == order.totalCost.minor)
            #expect(order.requestedDeliveryAt == order.createdAt.adding(days: PurchaseOrder.defaultLeadDays))
        }
    }

    /// Property: a partial answer keeps earlier pledges first, never fills more than was
    /// accepted, refunds the rest in full, and leaves the ledger balanced with the payable equal
    /// to the accepted cost.
    @Test func partialAcceptanceFillsInArrivalOrderAndBalances() throws {
        var rng = SeededGenerator(seed: 12)
        for _ in 0..<200 {
            var (s, order, pledges) = try settled(&rng)
            // Some consumers already paid their balance.
            var ledger = LedgerBalances(entries: try pledges.filter { !$0.deposit.isZero }.map(JournalEntry.depositReceived) + s.journal)
            for i in pledges.indices where Bool.random(using: &rng) {
                let (paid, entry) = try s.campaign.payingBalance(of: pledges[i], at: t0)
                pledges[i] = paid
                ledger.post(entry)
            }
            order.id = 1
            let line = order.lines[0]
            let accepted = Int64.random(in: 0...line.orderQuantity, using: &rng)
            let decision: PurchaseOrderAcknowledgement.Decision = accepted == 0 ? .rejected : (accepted == line.orderQuantity ? .accepted : .partiallyAccepted)
            let answer = PurchaseOrderAcknowledgement(decision: decision,
                                                      acceptedQuantities: decision == .partiallyAccepted ? [line.sku: accepted] : [:],
                                                      promisedShipAt: decision == .rejected ? nil : t0.adding(days: 10),
                                                      reason: decision == .accepted ? nil : "short")
            let outcome = try order.acknowledging(answer, pledges: pledges, at: t0.adding(days: 1))
            for entry in outcome.journal { ledger.post(entry) }
            #expect(ledger.isBalanced)
            #expect(-ledger.balance(.supplierPayables, currency: "CNY") == accepted * line.unitCost.minor)
            let refunded = Set(outcome.refundedPledges.map(\.id))
            let kept = pledges.filter { !refunded.contains($0.id) }
            #expect(kept.reduce(0) { $0 + $1.quantity } <= accepted)
            #expect(outcome.refundedPledges.allSatisfy { $0.status == .refunded })
            // Arrival order: every refunded pledge is bigger than the room left when its turn came.
            var room = accepted
            for pledge in pledges.sorted(by: { $0.createdAt < $1.createdAt }) {
                if pledge.quantity <= room { room -= pledge.quantity; #expect(!refunded.contains(pledge.id)) }
                else { #expect(refunded.contains(pledge.id)) }
            }
            // Escrow holds exactly the deposits of pledges still confirmed (paid ones already left escrow).
            let held = kept.filter { $0.status == .confirmed }.reduce(0) { $0 + $1.deposit.minor }
            #expect(ledger.escrowHeld(currency: "CNY") == held)
            #expect(outcome.order.lines[0].acceptedQuantity == accepted)
            #expect(throws: DomainError.self) { try outcome.order.acknowledging(answer, pledges: pledges, at: t0) }
        }
    }

    @Test func answersAreValidated() throws {
        var rng = SeededGenerator(seed: 13)
        let (_, order, pledges) = try settled(&rng, pledgeCount: 5)
        let sku = order.lines[0].sku, full = order.lines[0].orderQuantity
        func field(_ answer: PurchaseOrderAcknowledgement) -> String? {
            do { _ = try order.acknowledging(answer, pledges: pledges, at: t0); return nil } catch { return error.field }
        }
        #expect(field(.init(decision: .accepted)) == "promised_ship_date")
        #expect(field(.init(decision: .rejected)) == "reason")
        #expect(field(.init(decision: .partiallyAccepted, acceptedQuantities: [sku: 1], promisedShipAt: t0)) == "reason")
        #expect(field(.init(decision: .partiallyAccepted, acceptedQuantities: [sku: full + 1], promisedShipAt: t0, reason: "x")) == "lines")
        #expect(field(.init(decision: .partiallyAccepted, acceptedQuantities: [sku: full], promisedShipAt: t0, reason: "x")) == "lines")
        #expect(field(.init(decision: .partiallyAccepted, acceptedQuantities: ["other": 1], promisedShipAt: t0, reason: "x")) == "lines")
        #expect(field(.init(decision: .partiallyAccepted, acceptedQuantities: [:], promisedShipAt: t0, reason: "x")) == "lines")
        #expect(field(.init(decision: .accepted, promisedShipAt: t0)) == nil)
    }

    @Test func webhookPayloadIsStable() throws {
        var rng = SeededGenerator(seed: 14)
        let (_, order, _) = try settled(&rng, pledgeCount: 3)
        #expect(order.webhookPayload.serialized == order.webhookPayload.serialized)
        let parsed = try JSONParser.parse(Array(order.webhookPayload.serialized.utf8))
        #expect(parsed == order.webhookPayload)
        #expect(parsed["type"] == "purchase_order.created" && parsed["data"]?["number"] == .string(order.number))
    }
}
