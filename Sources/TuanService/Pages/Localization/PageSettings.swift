import Foundation

/// The deployment's defaults for pages: the language when the visitor states none, and the
/// time zone times are shown in (a campaign may name its own).
public struct PageSettings: Sendable {
    var language: Language
    var zone: TimeZone
    /// The zone's IANA name as configured (Foundation may report UTC as GMT).
    public let zoneIdentifier: String

    /// `defaultLanguage`: a tag such as zh-CN or en. `timeZone`: an IANA name; without one,
    /// Asia/Shanghai when the default language is Chinese, else UTC.
    public init(defaultLanguage: String = "en", timeZone: String? = nil) throws {
        guard let language = Language(tag: defaultLanguage) else {
            throw PageSettingsError(field: "default-language", message: "must be zh-CN or en")
        }
        let name = timeZone ?? (language == .chinese ? "Asia/Shanghai" : "UTC")
        guard let zone = PageSettings.zone(named: name) else {
            throw PageSettingsError(field: "time-zone", message: "\(name) is not a time zone this system knows (IANA names such as Asia/Shanghai)")
        }
        self.language = language
        self.zone = zone
        self.zoneIdentifier = name
    }

    public static let standard = try! PageSettings()

    public var languageTag: String { language.tag }

    /// The zone named `name`, when the system's tz database has it: IANA names only (not
    /// abbreviations such as CST, which Foundation would also accept and which are ambiguous).
    public static func zone(named name: String) -> TimeZone? {
        guard name == "UTC" || name.contains("/"), let zone = TimeZone(identifier: name) else { return nil }
        return zone
    }
}

public struct PageSettingsError: Error, CustomStringConvertible {
    public var field: String
    public var message: String
    public var description: String { "\(field): \(message)" }
}
