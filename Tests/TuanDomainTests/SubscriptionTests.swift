import Testing
@testable import TuanDomain

@Suite struct SubscriptionTests {
    let policy = SubscriptionPolicy.standard
    /// Wednesday noon: the coming Monday's cut-off (Saturday 00:00) is still ahead.
    let now = Timestamp(rfc3339: "2026-12-02T12:00:00Z")!
    var monday: Timestamp { Timestamp(rfc3339: "2026-12-07T00:00:00Z")! }
    func week(_ n: Int64) -> Timestamp { monday.adding(seconds: n * Week.seconds) }

    func subscription(periods: Int64? = 4, every: Int64 = 1, id: Int64 = 1, sku: String = "tea-1", quantity: Int64 = 2,
                      pickup: String? = nil) throws -> Subscription {
        Subscription(id: id, request: try SubscriptionRequest(
            consumerID: "c\(id)", sku: sku, quantity: quantity, cadenceWeeks: every, start: nil, periods: periods,
            unitPrice: Fixtures.money(1500), deposit: Fixtures.money(1500), pickupPoint: pickup, at: now), at: now)
    }

    @Test func startsOnTheFirstWeekStillOpen() throws {
        #expect(policy.cutOff(ofWeek: monday) == Timestamp(rfc3339: "2026-12-05T00:00:00Z")!)
        #expect(try subscription().firstWeek == monday)
        // After Saturday's cut-off the next Monday is gone: the week after is the first.
        let sunday = Timestamp(rfc3339: "2026-12-06T09:00:00Z")!
        #expect(policy.firstOpenWeek(at: sunday) == week(1))
        #expect(throws: DomainError.self) {
            try SubscriptionRequest(consumerID: "c", sku: "tea-1", quantity: 1, start: monday, periods: nil,
                                    unitPrice: Fixtures.money(1), deposit: Fixtures.money(0), at: sunday)
        }
        #expect(throws: DomainError.self) {  // a deposit above four periods' price
            try SubscriptionRequest(consumerID: "c", sku: "tea-1", quantity: 1, start: nil, periods: nil,
                                    unitPrice: Fixtures.money(100), deposit: Fixtures.money(401), at: now)
        }
    }

    @Test func cadenceSkipsAndPeriodsDecideTheDeliveryWeeks() throws {
        let s = try subscription(periods: 3, every: 2)
        #expect(s.deliveryWeeks(from: monday, until: week(10), weeks: .utc) == [week(0), week(2), week(4)])
        let skipped = try s.skipping(week(2), at: now)
        // A skipped week does not count: the third delivery moves out by one cadence.
        #expect(skipped.deliveryWeeks(from: monday, until: week(10), weeks: .utc) == [week(0), week(4), week(6)])
        #expect(throws: DomainError.self) { try s.skipping(week(1), at: now) }  // not a delivery week
        #expect(throws: DomainError.self) { try s.skipping(week(0), at: policy.cutOff(ofWeek: week(0))) }  // cut off
    }

    @Test func pauseResumeAndCancelRespectCutOffAndNotice() throws {
        let s = try subscription(periods: nil)
        let paused = try s.pausing(from: week(1), until: week(3), at: now)
        #expect(paused.deliveryWeeks(from: monday, until: week(5), weeks: .utc) == [week(0), week(3), week(4)])
        // Once week 2 (the last paused one) is cut off, the subscription is active again.
        var running = paused
        for n in Int64(0)...2 {
            running = try SubscriptionCutOff.cut(week: week(n), subscriptions: [running], products: ["tea-1": Fixtures.product()],
                                                 at: policy.cutOff(ofWeek: week(n))).subscriptions[0]
            #expect(running.status == (n < 2 ? .paused : .active))
        }
        #expect(running.deliveredCount == 1 && running.pausedFrom == nil)
        #expect(running.deliveryWeeks(from: monday, until: week(5), weeks: .utc) == [week(3), week(4)])
        #expect(throws: DomainError.self) { try s.pausing(from: week(0), until: nil, at: policy.cutOff(ofWeek: week(0))) }
        // An open pause, resumed after week 1's cut-off: deliveries restart from week 2.
        let open = try s.pausing(from: nil, until: nil, at: now)
        #expect(open.pausedFrom == week(0) && open.deliveryWeeks(from: monday, until: week(4), weeks: .utc).isEmpty)
        let resumed = try open.resuming(at: policy.cutOff(ofWeek: week(1)))
        #expect(resumed.status == .active && resumed.deliveryWeeks(from: monday, until: week(4), weeks: .utc) == [week(2), week(3)])
        #expect(throws: DomainError.self) { try s.resuming(at: now) }
        // Cancelled on Wednesday with 7 days' notice, to next Wednesday: week 0 is cut off
        // (Saturday) within the notice and still delivered; week 1's cut-off falls after it.
        let cancelled = try s.cancelling(at: now)
        #expect(cancelled.status == .cancelled && cancelled.lastWeek == week(0))
        #expect(cancelled.deliveryWeeks(from: monday, until: week(6), weeks: .utc) == [week(0)])
        // Cancelled on Saturday noon instead: the notice runs past week 1's cut-off too.
        let saturday = Timestamp(rfc3339: "2026-12-05T12:00:00Z")!
        #expect(try s.cancelling(at: saturday).deliveryWeeks(from: monday, until: week(6), weeks: .utc) == [week(0), week(1)])
        #expect(throws: DomainError.self) { try cancelled.cancelling(at: now) }
        #expect(throws: DomainError.self) { try cancelled.skipping(week(2), at: now) }
        // A subscription whose only delivery has been cut off ends at once when cancelled.
        var done = try subscription(periods: 1)
        done.deliveredCount = 1
        done.cutOffThrough = week(0)
        #expect(try done.cancelling(at: now.adding(days: 5)).status == .ended)
    }

    /// Random subscriptions with random skips, pauses and cancellations: cutting weeks off one
    /// by one delivers exactly the weeks the schedule projected (the forecast's firm demand), at
    /// most once each, never more than `periods`, with quantities conserved into the order lines.
    @Test func cutOffsDeliverWhatTheScheduleProjected() throws {
        var rng = SeededGenerator(seed: 7)
        let products = ["tea-1": Fixtures.product(casePack: 6),
                        "rice": try Product(sku: "rice", supplierID: 2, name: "Rice", casePack: 1, minimumOrderQuantity: 0,
                                            unitCost: Fixtures.money(300), capacity: nil)]
        for round in 0..<60 {
            var subscriptions: [Subscription] = []
            for id in 1...Int64.random(in: 1...12, using: &rng) {
                var s = try subscription(periods: Bool.random(using: &rng) ? Int64.random(in: 1...6, using: &rng) : nil,
                                         every: Int64.random(in: 1...3, using: &rng), id: id,
                                         sku: Bool.random(using: &rng) ? "tea-1" : "rice", quantity: Int64.random(in: 1...5, using: &rng),
                                         pickup: ["A", "B", nil][Int.random(in: 0...2, using: &rng)])
                if Bool.random(using: &rng), let w = s.deliveryWeeks(from: monday, until: week(12), weeks: .utc).randomElement(using: &rng) {
                    s = try s.skipping(w, at: now)
                }
                switch Int.random(in: 0...3, using: &rng) {
                case 0: s = try s.pausing(from: week(Int64.random(in: 0...3, using: &rng)), until: week(Int64.random(in: 4...8, using: &rng)), at: now)
                case 1: s = try s.cancelling(at: now)
                default: break
                }
                subscriptions.append(s)
            }
            let projected = Dictionary(uniqueKeysWithValues: subscriptions.map { ($0.id, $0.deliveryWeeks(from: monday, until: week(20), weeks: .utc)) })
            var delivered: [Int64: [Timestamp]] = [:]
            var ledger = LedgerBalances()
            for s in subscriptions where !s.deposit.isZero {
                ledger.post(try .subscriptionDepositReceived(s))
                // Cancelled with nothing inside the notice: it ended at once, its deposit returned.
                if s.status == .ended { ledger.post(try .subscriptionDepositRefunded(s)) }
            }
            for n in Int64(0)..<20 {
                let cut = try SubscriptionCutOff.cut(week: week(n), subscriptions: subscriptions, products: products,
                                                     at: policy.cutOff(ofWeek: week(n)))
                cut.journal.forEach { ledger.post($0) }
                for d in cut.deliveries { delivered[d.subscriptionID, default: []].append(week(n)) }
                // One line per SKU per week, holding exactly that week's subscribed units.
                let lines = cut.orders.flatMap(\.lines)
                #expect(Set(lines.map(\.sku)).count == lines.count, "round \(round)")
                let skuOf = Dictionary(uniqueKeysWithValues: subscriptions.map { ($0.id, $0.sku) })
                for line in lines {
                    var units: Int64 = 0
                    for d in cut.deliveries where skuOf[d.subscriptionID] == line.sku { units += d.quantity }
                    let toDestinations: Int64 = line.destinations.reduce(0) { $0 + $1.quantity }
                    #expect(line.confirmedQuantity == units)
                    #expect(toDestinations == units)
                    #expect(line.orderQuantity >= units && line.orderQuantity % products[line.sku]!.casePack == 0)
                }
                #expect(Set(cut.orders.map(\.supplierID)).count == cut.orders.count)
                for updated in cut.subscriptions { subscriptions[subscriptions.firstIndex { $0.id == updated.id }!] = updated }
                // Cutting the same week again delivers nothing more.
                let again = try SubscriptionCutOff.cut(week: week(n), subscriptions: subscriptions, products: products, at: now)
                #expect(again.deliveries.isEmpty)
            }
            for s in subscriptions {
                #expect((delivered[s.id] ?? []) == projected[s.id], "round \(round) subscription \(s.id)")
                if let periods = s.periods { #expect(s.deliveredCount <= periods) }
            }
            #expect(ledger.isBalanced)
            let stillHeld = subscriptions.filter { $0.status != .ended }.reduce(0) { $0 + $1.deposit.minor }
            #expect(ledger.escrowHeld(currency: "CNY") == stillHeld, "round \(round)")
        }
    }
}
