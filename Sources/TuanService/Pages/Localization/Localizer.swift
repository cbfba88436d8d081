import Foundation
import TuanDomain

/// Everything a page says, in one language and one time zone: catalogue strings with their
/// arguments, plurals, money, numbers, dates and countdowns.
struct Localizer: Sendable {
    var language: Language
    var zone: TimeZone

    init(_ language: Language, zone: TimeZone) {
        self.language = language
        self.zone = zone
    }

    /// The catalogue's text for `key` with `{name}` replaced by `arguments[name]` (already
    /// escaped by the caller where it is markup). A missing key shows as ⟦key⟧, which the
    /// browser test looks for.
    func t(_ key: String, _ arguments: [String: String] = [:]) -> String {
        guard var text = PageCatalog.entries(for: language)[key] else { return "⟦\(key)⟧" }
        for (name, value) in arguments { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// `key.one` for a count of one in languages that have it, else `key.other`; `{n}` is the count.
    func plural(_ key: String, _ count: Int64, _ arguments: [String: String] = [:]) -> String {
        var arguments = arguments
        arguments["n"] = number(count)
        let entries = PageCatalog.entries(for: language)
        if count == 1, entries[key + ".one"] != nil { return t(key + ".one", arguments) }
        return t(key + ".other", arguments)
    }

    /// ¥1,234.50 for yuan in both languages; other currencies by code (1,234.50 USD in Chinese,
    /// USD 1,234.50 in English).
    func money(_ money: Money) -> String {
        let amount = Self.grouped(money.decimalString)
        if money.currency.code == "CNY" { return amount.hasPrefix("-") ? "-¥" + amount.dropFirst() : "¥" + amount }
        return language == .chinese ? "\(amount) \(money.currency.code)" : "\(money.currency.code) \(amount)"
    }

    func number(_ value: Int64) -> String { Self.grouped(String(value)) }

    func number(_ value: Double, digits: Int = 0) -> String {
        let text = HTML.number(value, digits: digits)
        return text == "–" ? text : Self.grouped(text)
    }

    func percent(_ value: Double) -> String { HTML.percent(value) }

    /// Thousands separators on the whole part of a decimal string.
    static func grouped(_ decimal: String) -> String {
        var whole = Substring(decimal), sign = "", fraction = Substring("")
        if whole.hasPrefix("-") { sign = "-"; whole = whole.dropFirst() }
        if let dot = whole.firstIndex(of: ".") { fraction = whole[dot...]; whole = whole[..<dot] }
        var out = ""
        for (index, digit) in whole.enumerated() {
            if index > 0, (whole.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return sign + out + fraction
    }

    /// "2天4小时" / "2 d 4 h": how long until `end`, for countdowns.
    func duration(from now: Timestamp, to end: Timestamp) -> String {
        let seconds = end.seconds - now.seconds
        guard seconds > 0 else { return t("time.closed") }
        let days = seconds / 86_400, hours = seconds % 86_400 / 3_600, minutes = seconds % 3_600 / 60
        if days > 0 { return t("time.days_hours", ["d": String(days), "h": String(hours)]) }
        if hours > 0 { return t("time.hours_minutes", ["h": String(hours), "m": String(minutes)]) }
        if minutes > 0 { return t("time.minutes", ["m": String(minutes)]) }
        return t("time.seconds", ["s": String(seconds)])
    }

    /// The instant in this page's zone, with the zone's offset: "2026年12月2日 08:37 (UTC+8)" or
    /// "2 Dec 2026, 08:37 (UTC+8)", machine-readable in `datetime`.
    func time(_ instant: Timestamp) -> String {
        let local = LocalTime(instant, in: zone)
        let clock = String(local.hour).leftPadded(to: 2) + ":" + String(local.minute).leftPadded(to: 2)
        let text = language == .chinese
            ? "\(local.year)年\(local.month)月\(local.day)日 \(clock)"
            : "\(local.day) \(Self.monthNames[Int(local.month) - 1]) \(local.year), \(clock)"
        return "<time datetime=\"\(instant.rfc3339)\" data-zone=\"\(HTML.escape(zone.identifier))\">\(text) (\(local.offsetName))</time>"
    }

    /// A date without the time: "12月7日" / "7 Dec".
    func day(_ instant: Timestamp) -> String {
        let local = LocalTime(instant, in: zone)
        return language == .chinese ? "\(local.month)月\(local.day)日" : "\(local.day) \(Self.monthNames[Int(local.month) - 1])"
    }

    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}

extension Localizer {
    /// "10 more units to unlock ¥8.00 for everyone.", while the campaign has a tier to unlock.
    func nextTier(of campaign: Campaign) -> String? {
        guard let next = campaign.nextTier else { return nil }
        return t("campaign.next_tier", ["more": "<strong>" + plural("units.more", next.unitsNeeded) + "</strong>", "price": money(next.tier.unitPrice)])
    }
}
