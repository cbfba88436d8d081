import Foundation
import Testing
import TuanApp
import TuanDomain
@testable import TuanSQLite
@testable import TuanStore

/// The worker queues events for a lagging endpoint only up to a bound (a row of events past
/// it at most), holding its place with the cursor, and goes on as deliveries make room.
@Suite struct WebhookQueueTests {
    @Test func aLaggingEndpointsQueueStaysBounded() throws {
        let f = try StoreFixture()
        let t = f.t0, chunk: Int64 = 10_000
        try f.store.writeSync { db in
            _ = try db.insertWebhookEndpoint(WebhookEndpoint(
                id: 0, url: "http://127.0.0.1:9/", types: Set(EventType.allCases), secret: "whsec_x", previousSecret: nil,
                previousSecretUntil: nil, disabled: false, description: nil, scannedSeq: 0, deliveredCount: 0, createdAt: t))
            // Three rows of ten thousand events each, as three close chunks would write them.
            for row in 0..<3 as Range<Int64> {
                try db.recordEvents(.pledgeConfirmed, campaignID: 1, first: row * chunk + 1, last: (row + 1) * chunk, count: chunk,
                                    ids: "SELECT 0 AS id", [], at: t)
            }
        }
        func state() throws -> (queued: Int64, counted: Int64, scanned: Int64) {
            try f.store.readSync { db in
                (try db.webhookBacklog(endpointID: 1).queued,
                 try db.connection.scalarInt("SELECT COUNT(*) FROM webhook_queue") ?? 0,
                 try db.webhookEndpoint(id: 1)!.scannedSeq)
            }
        }
        // Claims that send nothing (the head is put back at once): the queue fills, up to its bound.
        for _ in 0..<8 {
            try f.store.writeSync { db in
                if let claimed = try db.claimDueEventDelivery(at: t, leaseSeconds: 60) {
                    try db.recordEventDelivery(claimed, attempt: nil, decision: .hold(reason: "not yet"), at: t)
                }
            }
        }
        var now = try state()
        #expect(now.queued == now.counted && now.queued <= SQLiteRepositories.queueLimit + chunk && now.queued >= SQLiteRepositories.queueLimit)
        #expect(now.scanned < 30_000, "the cursor holds the place of what is not queued")
        // Deliveries make room: the next claims queue more, and in the end everything.
        // (Many claims a transaction: thirty thousand commits, each synced, would take minutes.)
        var delivered = 0
        while delivered < 30_000 {
            let sent = try f.store.writeSync { db -> Int in
                var sent = 0
                while sent < 7_500, let claimed = try db.claimDueEventDelivery(at: t, leaseSeconds: 60) {
                    try db.recordEventDelivery(claimed, attempt: nil, decision: .delivered, at: t)
                    sent += 1
                }
                return sent
            }
            guard sent > 0 else { break }
            delivered += sent
            now = try state()
            #expect(now.queued == now.counted && now.queued <= SQLiteRepositories.queueLimit + chunk)
        }
        now = try state()
        #expect(delivered == 30_000 && now.queued == 0 && now.counted == 0 && now.scanned == 30_000)
        #expect(try f.store.readSync { db in try db.webhookEndpoint(id: 1)!.deliveredCount } == 30_000)
    }
}
