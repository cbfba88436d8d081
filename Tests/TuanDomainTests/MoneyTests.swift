import Testing
@testable import TuanDomain

@Suite struct MoneyTests {
    let cny = Currency.cny

    @Test func addsAndSubtractsInMinorUnits() throws {
        let a = Money(minor: 1250, currency: cny)
        let b = Money(minor: 75, currency: cny)
        #expect(try a.adding(b).minor == 1325)
        #expect(try a.subtracting(b).minor == 1175)
        #expect(try a.multiplied(by: 3).minor == 3750)
    }

    @Test func refusesToMixCurrencies() throws {
        let usd = try Currency("usd")
        #expect(throws: DomainError.self) { try Money(minor: 1, currency: cny).adding(Money(minor: 1, currency: usd)) }
    }

    @Test func refusesOverflow() {
        let big = Money(minor: .max - 1, currency: cny)
        #expect(throws: DomainError.self) { try big.adding(Money(minor: 5, currency: cny)) }
        #expect(throws: DomainError.self) { try big.multiplied(by: 2) }
    }

    @Test func rejectsBadCurrencyCodes() {
        for bad in ["", "CN", "CNYY", "C1Y", "人民币"] {
            #expect(throws: DomainError.self) { try Currency(bad) }
        }
    }

    @Test func parsesAndPrintsDecimalsExactly() throws {
        #expect(try Money.parse("12.5", currency: cny, field: "x").minor == 1250)
        #expect(try Money.parse("0.07", currency: cny, field: "x").minor == 7)
        #expect(try Money.parse("100", currency: cny, field: "x").minor == 10_000)
        #expect(Money(minor: 1250, currency: cny).description == "CNY 12.50")
        #expect(Money(minor: -7, currency: cny).decimalString == "-0.07")
        let jpy = try Currency("JPY")
        #expect(try Money.parse("500", currency: jpy, field: "x").minor == 500)
        for bad in ["12.345", "abc", "", "1.2.3", "1e5", "99999999999999999999"] {
            #expect(throws: DomainError.self) { try Money.parse(bad, currency: cny, field: "x") }
        }
    }

    @Test func decimalRoundTripsForRandomAmounts() throws {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<1000 {
            let m = Money(minor: Int64.random(in: -10_000_000...10_000_000, using: &rng), currency: cny)
            #expect(try Money.parse(m.decimalString, currency: cny, field: "x") == m)
        }
    }
}

@Suite struct TimestampTests {
    @Test func formatsAndParsesRFC3339() throws {
        #expect(Timestamp(seconds: 0).rfc3339 == "1970-01-01T00:00:00Z")
        #expect(Timestamp(seconds: 1_614_265_330).rfc3339 == "2021-02-25T15:02:10Z")
        #expect(Timestamp(rfc3339: "2021-02-25T15:02:10Z")?.seconds == 1_614_265_330)
        #expect(Timestamp(rfc3339: "2021-02-25T23:02:10+08:00")?.seconds == 1_614_265_330)
        #expect(Timestamp(rfc3339: "2021-02-25T15:02:10.999Z")?.seconds == 1_614_265_330)
        #expect(Timestamp(rfc3339: "2024-02-29")?.rfc3339 == "2024-02-29T00:00:00Z")
        #expect(Timestamp(seconds: -1).rfc3339 == "1969-12-31T23:59:59Z")
    }

    @Test func rejectsMalformedTimes() {
        for bad in ["", "2021-13-01", "2023-02-29", "2021-02-25T25:00:00Z", "2021-02-25T15:02:10", "yesterday",
                    "2021-02-25T15:02:10Zjunk", "2021-02-25T15:02:10+0800"] {
            #expect(Timestamp(rfc3339: bad) == nil, "\(bad)")
        }
    }

    @Test func roundTripsRandomInstants() {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<2000 {
            let t = Timestamp(seconds: Int64.random(in: -2_000_000_000...8_000_000_000, using: &rng))
            #expect(Timestamp(rfc3339: t.rfc3339) == t)
        }
    }
}

/// The classes of overflow the hardening issue found, refused instead of trapping.
@Suite struct OverflowClassTests {
    let t0 = Timestamp(seconds: 1_800_000_000)

    /// Stored before the bounds existed: two subscriptions whose period prices add past Int64.
    /// The cut-off refuses the week (amount_overflow) instead of trapping at every restart.
    @Test func aCutOffWhosePricesOverflowIsRefused() throws {
        let request = try SubscriptionRequest(consumerID: "a", sku: "tea", quantity: 1, start: nil, periods: nil,
                                              unitPrice: Money(minor: 100, currency: .cny), deposit: .zero(.cny), at: t0)
        var first = Subscription(id: 1, request: request, at: t0), second = Subscription(id: 2, request: request, at: t0)
        first.unitPrice = Money(minor: Int64.max / 2 + 1, currency: .cny)
        second.unitPrice = first.unitPrice
        let product = try Product(sku: "tea", supplierID: 1, name: "Tea", casePack: 1, minimumOrderQuantity: 0,
                                  unitCost: Money(minor: 1, currency: .cny), capacity: nil)
        #expect { try SubscriptionCutOff.cut(week: first.firstWeek, subscriptions: [first, second], products: ["tea": product], at: t0) }
            throws: { ($0 as? DomainError)?.code == .overflow }
    }

    /// An order line whose cost does not fit cannot be built; an order whose lines' total does
    /// not fit is refused when its lines are set.
    @Test func orderCostsAreChecked() throws {
        #expect { try PurchaseOrder.Line(sku: "x", productName: "X", confirmedQuantity: 1, orderQuantity: Int64.max / 2,
                                         unitCost: Money(minor: 3, currency: .cny), unitPrice: Money(minor: 1, currency: .cny), destinations: []) }
            throws: { ($0 as? DomainError)?.code == .overflow }
        let line = try PurchaseOrder.Line(sku: "x", productName: "X", confirmedQuantity: 1, orderQuantity: Bounds.campaignUnits,
                                          unitCost: Money(minor: Bounds.unitAmountMinor, currency: .cny),
                                          unitPrice: Money(minor: 1, currency: .cny), destinations: [])
        #expect(line.cost.minor == Bounds.campaignUnits * Bounds.unitAmountMinor)
        #expect { try PurchaseOrder(id: 0, supplierID: 1, campaignID: nil, currency: .cny, lines: Array(repeating: line, count: 10),
                                    requestedDeliveryAt: t0, createdAt: t0) }
            throws: { ($0 as? DomainError)?.code == .overflow }
    }

    /// Every input bound, at the bound and one past it.
    @Test func inputBoundsHoldAtTheEdge() throws {
        let max = Money(minor: Bounds.unitAmountMinor, currency: .cny), over = Money(minor: Bounds.unitAmountMinor + 1, currency: .cny)
        #expect(throws: Never.self) { try PriceSchedule([PriceTier(minQuantity: Bounds.campaignUnits, unitPrice: max)]) }
        #expect(throws: DomainError.self) { try PriceSchedule([PriceTier(minQuantity: 1, unitPrice: over)]) }
        #expect(throws: DomainError.self) { try PriceSchedule([PriceTier(minQuantity: Bounds.campaignUnits + 1, unitPrice: max)]) }
        #expect(throws: Never.self) { try PledgeRequest(consumerID: "a", quantity: Bounds.pledgeQuantity, idempotencyKey: "k") }
        #expect(throws: DomainError.self) { try PledgeRequest(consumerID: "a", quantity: Bounds.pledgeQuantity + 1, idempotencyKey: "k") }
        #expect(throws: Never.self) {
            try SubscriptionRequest(consumerID: "a", sku: "t", quantity: Bounds.subscriptionQuantity, start: nil, periods: nil,
                                    unitPrice: max, deposit: max, at: t0)
        }
        #expect(throws: DomainError.self) {
            try SubscriptionRequest(consumerID: "a", sku: "t", quantity: 1, start: nil, periods: nil, unitPrice: over, deposit: .zero(.cny), at: t0)
        }
        #expect(throws: DomainError.self) { try TeamRule(size: 2, windowSeconds: 60, unitPrice: over) }
        #expect(throws: DomainError.self) {
            try Product(sku: "p", supplierID: 1, name: "P", casePack: Bounds.casePack + 1, minimumOrderQuantity: 0, unitCost: max, capacity: nil)
        }
        #expect(throws: DomainError.self) {
            try CampaignDraft(sku: "p", title: "T", opensAt: t0, closesAt: Bounds.latestInstant, threshold: 1, cap: nil,
                              tiers: [PriceTier(minQuantity: 1, unitPrice: max)], depositPerUnit: .zero(.cny))
        }
        // Text is counted in scalars, and DEL and C1 controls are refused.
        #expect(throws: DomainError.self) { try PledgeRequest(consumerID: "a" + String(repeating: "\u{301}", count: 200), quantity: 1, idempotencyKey: "k") }
        #expect(throws: DomainError.self) { try PledgeRequest(consumerID: "a\u{7F}", quantity: 1, idempotencyKey: "k") }
        #expect(throws: DomainError.self) { try PledgeRequest(consumerID: "a\u{9B}", quantity: 1, idempotencyKey: "k") }
        #expect(throws: DomainError.self) { try Currency("ABC") }
        #expect(Bounds.latestInstant.rfc3339 == "9000-12-31T23:59:59Z")
        #expect(try Currency("jpy").minorDigits == 0 && (try Currency("KWD")).minorDigits == 3)
    }
}
