import Synchronization
import TuanDomain
import TuanApp

/// Token → principal, for the API's bearer tokens and the pages' sessions. Verified answers
/// are cached for `revalidate` (a second) so that a request usually costs one dictionary lookup
/// instead of a SHA-256 and a read; after that they are read again, so a token revoked by
/// another process (`tuan token revoke`) stops working within that time. A token revoked
/// through this server's own admin route is forgotten at once.
final class TokenVerifier: Sendable {
    private struct Entry { var principal: Principal?; var hash: String; var checkedAt: ContinuousClock.Instant; var touchedAt: Int64 }
    private let app: TuanApplication
    private let clock: @Sendable () -> Timestamp
    private let entries = Mutex<[String: Entry]>([:])
    private let revalidate: Duration
    /// How often `last_used_at` is written for a token in use, in seconds.
    static let touchIntervalSeconds: Int64 = 60
    private static let maximumEntries = 10_000

    init(app: TuanApplication, clock: @escaping @Sendable () -> Timestamp, revalidate: Duration = .seconds(1)) {
        self.app = app
        self.clock = clock
        self.revalidate = revalidate
    }

    /// The principal of a valid token, nil for an unknown or revoked one.
    func principal(token: String) async throws -> Principal? {
        if let fresh = cachedPrincipal(token: token) { return fresh }
        return try await verify(token: token)
    }

    /// The answer for a token verified less than `revalidate` ago (`.some(nil)`: refused), or
    /// nil when it must be read again. Synchronous: the usual case costs one lookup under the
    /// lock and no suspension.
    func cachedPrincipal(token: String) -> Principal?? {
        let now = ContinuousClock.now, revalidate = self.revalidate
        return entries.withLock { entries -> Principal?? in
            guard let entry = entries[token], now - entry.checkedAt < revalidate else { return nil }
            return .some(entry.principal)
        }
    }

    /// Reads the token's principal afresh and caches the answer.
    func verify(token: String) async throws -> Principal? {
        let now = ContinuousClock.now
        let hash = APIToken.hash(token), seconds = clock().seconds
        let principal = try await app.principal(tokenHash: hash).run()
        let previousTouch = entries.withLock { entries -> Int64 in
            let touched = entries[token]?.touchedAt ?? 0
            if entries.count >= Self.maximumEntries { entries.removeAll() }
            let touch = principal != nil && seconds - touched >= Self.touchIntervalSeconds
            entries[token] = Entry(principal: principal, hash: hash, checkedAt: now, touchedAt: touch ? seconds : touched)
            return touched
        }
        if principal != nil, seconds - previousTouch >= Self.touchIntervalSeconds {
            // Last use is a convenience for operators: never worth failing or slowing the request.
            let touch = app.touchToken(hash: hash, at: Timestamp(seconds: seconds))
            Task.detached { _ = try? await touch.run() }
        }
        return principal
    }

    /// Forgets every cached answer for `hash` (the token was revoked here).
    func forget(hash: String) {
        entries.withLock { entries in entries = entries.filter { $0.value.hash != hash } }
    }
}
