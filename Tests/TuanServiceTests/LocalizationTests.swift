import Foundation
import Testing
import TuanDomain
import TuanHTTP
@testable import TuanService

/// The pages' languages and local time, without a server: catalogues, negotiation, formats.
@Suite struct LocalizationTests {
    /// Every key in both catalogues; singular forms (`.one`) only where a language has them.
    @Test func cataloguesHoldTheSameKeys() {
        let english = Set(PageCatalog.english.keys), chinese = Set(PageCatalog.chinese.keys)
        let singular = english.filter { $0.hasSuffix(".one") }
        #expect(english.subtracting(singular) == chinese, "keys only in one catalogue: \(english.subtracting(singular).symmetricDifference(chinese).sorted())")
        for key in singular { #expect(english.contains(String(key.dropLast(4)) + ".other"), "\(key) has no .other") }
        // No English left in the Chinese catalogue, apart from names and notations kept in every language.
        let allowed: Set<String> = ["SKU", "API", "Ti", "P10", "P50", "P90", "ID", "supplier"]
        for (key, text) in PageCatalog.chinese {
            let prose = text.replacing(try! Regex(#"\{[a-z0-9_]+\}"#), with: "")
            let words = prose.split { !$0.isLetter || !$0.isASCII }.map(String.init).filter { $0.count >= 2 && !allowed.contains($0) }
            #expect(words.isEmpty, "\(key): \(words)")
        }
    }

    /// The source uses no key the catalogue lacks: every literal key handed to `t` or `plural`.
    @Test func everyKeyThePagesUseIsInTheCatalogue() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sources = root.appendingPathComponent("Sources/TuanService")
        let files = FileManager.default.enumerator(atPath: sources.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        var used = Set<String>(), plural = Set<String>()
        let pattern = try Regex(#"\.(t|plural)\("([a-z_]+\.[a-z_.]+)""#)
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: pattern) {
                let kind = String(text[match.range].dropFirst().prefix(while: { $0 != "(" }))
                let key = match.output[2].substring.map(String.init) ?? ""
                if kind == "plural" { plural.insert(key) } else { used.insert(key) }
            }
        }
        #expect(used.count > 100)
        for language in Language.allCases {
            let entries = PageCatalog.entries(for: language)
            for key in used { #expect(entries[key] != nil, "\(language.tag) lacks \(key)") }
            for key in plural { #expect(entries[key + ".other"] != nil, "\(language.tag) lacks \(key).other") }
        }
    }

    @Test func languageComesFromTheQueryThenCookieThenBrowserThenDefault() throws {
        func request(_ target: String, _ headers: [(String, String)] = []) -> HTTPRequest {
            HTTPRequest(method: "GET", target: target, headers: HTTPHeaders(headers))
        }
        #expect(Language.negotiate(request("/c/1?lang=zh-CN", [("Cookie", "tuan_lang=en")]), default: .english) == .chinese)
        #expect(Language.negotiate(request("/c/1?lang=xx", [("Cookie", "tuan_lang=en")]), default: .chinese) == .english)
        #expect(Language.negotiate(request("/c/1", [("Accept-Language", "fr;q=1, en;q=0.5, zh-Hans-CN;q=0.8")]), default: .english) == .chinese)
        #expect(Language.negotiate(request("/c/1", [("Accept-Language", "en-GB,en;q=0.9")]), default: .chinese) == .english)
        #expect(Language.negotiate(request("/c/1", [("Accept-Language", "fr, de;q=0.8, zh;q=0")]), default: .chinese) == .chinese)
        #expect(Language.negotiate(request("/c/1", [("Accept-Language", "de")]), default: .english) == .english)
        #expect(Language.negotiate(request("/"), default: .chinese) == .chinese)
    }

    @Test func moneyNumbersAndCountdownsFollowTheLanguage() throws {
        let zone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let zh = Localizer(.chinese, zone: zone), en = Localizer(.english, zone: zone)
        let yuan = Money(minor: 123_450, currency: try Currency("CNY"))
        #expect(zh.money(yuan) == "¥1,234.50" && en.money(yuan) == "¥1,234.50")
        let dollars = Money(minor: -123_456_789, currency: try Currency("USD"))
        #expect(zh.money(dollars) == "-1,234,567.89 USD" && en.money(dollars) == "USD -1,234,567.89")
        #expect(zh.number(Int64(1_000_000)) == "1,000,000" && en.number(Int64(999)) == "999")
        let now = Timestamp(seconds: 1_000_000)
        #expect(zh.duration(from: now, to: now.adding(seconds: 2 * 86_400 + 4 * 3_600)) == "2天4小时")
        #expect(en.duration(from: now, to: now.adding(seconds: 3 * 3_600 + 12 * 60)) == "3 h 12 min")
        #expect(zh.duration(from: now, to: now) == "已截止")
        #expect(en.plural("units.more", 1) == "1 more unit" && en.plural("units.more", 2) == "2 more units" && zh.plural("units.more", 1) == "1 件")
        #expect(zh.t("no.such.key") == "⟦no.such.key⟧")
    }

    /// Times are shown in the zone's wall clock with its offset, and stay machine-readable.
    @Test func timesAreLocalWithTheirOffset() throws {
        let instant = try #require(Timestamp(rfc3339: "2026-12-01T16:37:00Z"))
        let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai")), berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        #expect(Localizer(.chinese, zone: shanghai).time(instant).contains(">2026年12月2日 00:37 (UTC+8)</time>"))
        #expect(Localizer(.english, zone: shanghai).time(instant).contains(">2 Dec 2026, 00:37 (UTC+8)</time>"))
        #expect(Localizer(.english, zone: berlin).time(instant).contains(">1 Dec 2026, 17:37 (UTC+1)</time>"))
        let summer = try #require(Timestamp(rfc3339: "2026-07-01T16:37:00Z"))
        #expect(Localizer(.english, zone: berlin).time(summer).contains(">1 Jul 2026, 18:37 (UTC+2)</time>"))
        #expect(Localizer(.chinese, zone: shanghai).time(instant).contains(#"datetime="2026-12-01T16:37:00Z""#))
        let kolkata = try #require(TimeZone(identifier: "Asia/Kolkata"))
        #expect(LocalTime(instant, in: kolkata).offsetName == "UTC+5:30")
    }

    @Test func settingsDefaultTheZoneFromTheLanguageAndRefuseUnknownZones() throws {
        #expect(try PageSettings(defaultLanguage: "zh-CN").zoneIdentifier == "Asia/Shanghai")
        #expect(try PageSettings(defaultLanguage: "en").zoneIdentifier == "UTC")
        #expect(try PageSettings(defaultLanguage: "en", timeZone: "America/New_York").zoneIdentifier == "America/New_York")
        #expect(throws: PageSettingsError.self) { try PageSettings(defaultLanguage: "fr") }
        #expect(throws: PageSettingsError.self) { try PageSettings(defaultLanguage: "en", timeZone: "Mars/Olympus") }
        #expect(throws: PageSettingsError.self) { try PageSettings(defaultLanguage: "en", timeZone: "CST") }
    }
}
