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
