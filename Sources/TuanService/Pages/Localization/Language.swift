import Foundation
import TuanHTTP

/// The languages the pages speak. The API keeps its stable English codes and messages.
enum Language: String, CaseIterable, Sendable {
    case chinese = "zh-CN"
    case english = "en"

    var tag: String { rawValue }

    /// `zh`, `zh-CN`, `zh-Hans`, `zh-Hans-CN` are Simplified Chinese; `en`, `en-GB`… English.
    init?(tag: String) {
        let lower = tag.trimmingCharacters(in: .whitespaces).lowercased()
        if lower == "zh" || lower == "zh-cn" || lower == "zh-sg" || lower.hasPrefix("zh-hans") { self = .chinese; return }
        if lower == "en" || lower.hasPrefix("en-") { self = .english; return }
        return nil
    }

    static let cookieName = "tuan_lang"

    /// The page's language: `?lang=`, then the cookie an earlier `?lang=` set, then the browser's
    /// `Accept-Language` (by weight), then the deployment's default.
    static func negotiate(_ request: HTTPRequest, default fallback: Language) -> Language {
        if let asked = request.query["lang"].flatMap(Language.init(tag:)) { return asked }
        if let remembered = WebSessions.cookie(cookieName, in: request).flatMap(Language.init(tag:)) { return remembered }
        if let header = request.headers["Accept-Language"], let preferred = fromAcceptLanguage(header) { return preferred }
        return fallback
    }

    /// The supported language with the highest weight; ties go to the earlier entry.
    static func fromAcceptLanguage(_ header: String) -> Language? {
        var best: (language: Language, weight: Double)?
        for item in header.split(separator: ",").prefix(32) {
            let parts = item.split(separator: ";")
            guard let first = parts.first, let language = Language(tag: String(first)) else { continue }
            var weight = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.trimmingCharacters(in: .whitespaces)
                if pair.hasPrefix("q="), let value = Double(pair.dropFirst(2)), value.isFinite { weight = max(0, min(1, value)) }
            }
            if weight > 0, weight > (best?.weight ?? 0) { best = (language, weight) }
        }
        return best?.language
    }

    /// Remembers a `?lang=` choice for a year.
    var setCookie: String { "\(Self.cookieName)=\(tag); Path=/; Max-Age=31536000; SameSite=Lax" }
}
