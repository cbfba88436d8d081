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
        /// The token signed in with: the session ends when the token is revoked.
        var token: String
        var csrf: String
        var expiresAt: Int64
    }

    static let cookieName = "tuan_session"
    static let lifetimeSeconds: Int64 = 12 * 3_600
    private static let maximumSessions = 10_000

    /// Keyed by the SHA-256 of the session id, not the id: a lookup then compares hashes of
    /// the attacker's guess, which leak nothing about a real id however the comparison is timed.
    private let sessions = Mutex<[String: Session]>([:])

    private static func key(_ id: String) -> String { APIToken.hash(id) }

    func create(for principal: Principal, token: String, at now: Timestamp) -> Session {
        let session = Session(id: Self.randomToken(), principal: principal, token: token, csrf: Self.randomToken(),
                              expiresAt: now.seconds + Self.lifetimeSeconds)
        sessions.withLock { all in
            if all.count >= Self.maximumSessions { all = all.filter { $0.value.expiresAt > now.seconds } }
            if all.count >= Self.maximumSessions, let oldest = all.min(by: { $0.value.expiresAt < $1.value.expiresAt })?.key {
                all[oldest] = nil
            }
            all[Self.key(session.id)] = session
        }
        return session
    }

    /// The live session named by the request's cookie.
    func session(for request: HTTPRequest, at now: Timestamp) -> Session? {
        guard let id = Self.cookie(Self.cookieName, in: request) else { return nil }
        let key = Self.key(id)
        return sessions.withLock { all in
            guard let session = all[key] else { return nil }
            guard session.expiresAt > now.seconds else { all[key] = nil; return nil }
            return session
        }
    }

    func end(_ id: String) { _ = sessions.withLock { $0.removeValue(forKey: Self.key(id)) } }


    /// Compares secrets (CSRF tokens) in time that depends only on their lengths.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// Whether a form post comes from our own pages. Browsers send `Sec-Fetch-Site` and
    /// `Origin` with a cross-site post, so a page elsewhere cannot sign a visitor in with the
    /// attacker's token (login CSRF) or post any other form. A client that sends neither (curl,
    /// an old browser) is not a browser being led elsewhere, and is let through. Behind a reverse
    /// proxy that rewrites `Host`, the origin may match `X-Forwarded-Host` instead.
    static func isSameOrigin(_ request: HTTPRequest) -> Bool {
        if let site = request.headers["Sec-Fetch-Site"]?.lowercased(), site != "same-origin", site != "none" { return false }
        guard let origin = request.headers["Origin"]?.lowercased() else { return true }
        let hosts = [request.headers["Host"], request.headers["X-Forwarded-Host"]].compactMap { $0?.lowercased() }
        return origin != "null" && hosts.contains { origin == "http://" + $0 || origin == "https://" + $0 }
    }

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
