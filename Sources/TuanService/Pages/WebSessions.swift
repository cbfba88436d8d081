import Foundation
import Synchronization
import TuanDomain
import TuanHTTP

/// Browser sign-in for the planner and supplier pages. A session is a random id in a
/// `Secure; HttpOnly; SameSite=Strict` cookie, mapped here to the principal whose token was
/// given at sign-in; the token itself never goes into the cookie. Every form that changes
/// something carries the session's CSRF token. Sessions live in memory: a restart signs
/// everyone out, which is the safe failure.
final class WebSessions: Sendable {
    struct Session: Sendable {
        var id: String
        var principal: Principal
        var csrf: String
        var expiresAt: Int64
    }

    static let cookieName = "tuan_session"
    static let lifetimeSeconds: Int64 = 12 * 3_600
    private static let maximumSessions = 10_000

    private let sessions = Mutex<[String: Session]>([:])

    func create(for principal: Principal, at now: Timestamp) -> Session {
        let session = Session(id: Self.randomToken(), principal: principal, csrf: Self.randomToken(),
                              expiresAt: now.seconds + Self.lifetimeSeconds)
        sessions.withLock { all in
            if all.count >= Self.maximumSessions { all = all.filter { $0.value.expiresAt > now.seconds } }
            if all.count >= Self.maximumSessions, let oldest = all.min(by: { $0.value.expiresAt < $1.value.expiresAt })?.key {
                all[oldest] = nil
            }
            all[session.id] = session
        }
        return session
    }

    /// The live session named by the request's cookie.
    func session(for request: HTTPRequest, at now: Timestamp) -> Session? {
        guard let id = Self.cookie(Self.cookieName, in: request) else { return nil }
        return sessions.withLock { all in
            guard let session = all[id] else { return nil }
            guard session.expiresAt > now.seconds else { all[id] = nil; return nil }
            return session
        }
    }

    func end(_ id: String) { _ = sessions.withLock { $0.removeValue(forKey: id) } }

    func setCookie(_ session: Session) -> String {
        "\(Self.cookieName)=\(session.id); Path=/; Max-Age=\(Self.lifetimeSeconds); HttpOnly; Secure; SameSite=Strict"
    }

    static let clearCookie = "\(cookieName)=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict"

    static func cookie(_ name: String, in request: HTTPRequest) -> String? {
        for header in request.headers.all("Cookie") {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                if parts[0].trimmingCharacters(in: .whitespaces) == name { return parts[1].trimmingCharacters(in: .whitespaces) }
            }
        }
        return nil
    }

    static func randomToken() -> String { APIToken.randomHex() }
}
