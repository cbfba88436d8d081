import Foundation
import Synchronization
import TuanDelivery
import TuanDomain
import TuanHTTP

/// A small receiver a supplier can run to accept pushed purchase orders (`tuan supplier-inbox`).
/// It verifies the Standard Webhooks signature and timestamp (401 for forged or stale
/// deliveries), dedupes by `webhook-id`, and writes each order once to its directory as
/// `<webhook-id>.json`, durably (fsync) before answering 200. Tests and Scripts/chaos-supplier
/// use it as the real peer, with an optional list of faults to play before behaving.
public final class SupplierInbox: HTTPResponder {
    /// A misbehaviour for one incoming delivery, in the order given.
    public enum Fault: Sendable, Equatable {
        /// Answer with this status (429 and 503 carry `Retry-After: 1`).
        case status(Int)
        /// Sleep past the sender's timeout, then store the order anyway (the sender never
        /// hears back, retries, and the retry must be recognised as a duplicate).
        case timeout
        /// Close the connection without answering.
        case drop

        /// "500", "429", "timeout", "drop".
        public init?(_ text: String) {
            switch text {
            case "timeout": self = .timeout
            case "drop": self = .drop
            default:
                guard let status = Int(text), (100...599).contains(status) else { return nil }
                self = .status(status)
            }
        }
    }

    public struct Counters: Sendable, Equatable {
        public var received = 0
        public var stored = 0
        public var duplicates = 0
        public var refused = 0
        public var faults = 0
    }

    private let secret: String
    private let directory: URL
    private let tolerance: Int64
    private let timeoutDelay: Duration
    private let clock: @Sendable () -> Timestamp
    private let log: @Sendable (String) -> Void
    private let faults: Mutex<[Fault]>
    private let counters = Mutex(Counters())
    /// Webhook ids in the order they were first stored (a storefront checks per-campaign order).
    private let arrivals = Mutex<[String]>([])
    /// File writes and fsync block: they run here, never on the concurrency pool.
    private let diskQueue = DispatchQueue(label: "tuan-inbox-disk")

    public init(secret: String, directory: String, faults: [Fault] = [], timeoutDelay: Duration = .seconds(35),
                tolerance: Int64 = StandardWebhooks.defaultTolerance, clock: @escaping @Sendable () -> Timestamp = Clock.now,
                log: @escaping @Sendable (String) -> Void = { _ in }) throws {
        try WebhookSecret.validate(secret)
        self.secret = secret
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        self.tolerance = tolerance
        self.timeoutDelay = timeoutDelay
        self.clock = clock
        self.log = log
        self.faults = Mutex(faults)
    }

    public var counts: Counters { counters.withLock { $0 } }

    /// The webhook ids stored so far, first arrival first.
    public var storedInOrder: [String] { arrivals.withLock { $0 } }

    /// The orders stored so far: webhook id → body.
    public func storedOrders() throws -> [String: [UInt8]] {
        var orders: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".json") {
            orders[String(name.dropLast(5))] = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
        }
        return orders
    }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        if request.method == "GET", request.path == "/healthz" {
            let c = counts
            return .json(200, ["status": "ok", "stored": JSONValue(c.stored), "duplicates": JSONValue(c.duplicates)])
        }
        guard request.method == "POST" else {
            return .error(405, code: "method_not_allowed", message: "deliveries are POSTed")
        }
        counters.withLock { $0.received += 1 }
        let fault = faults.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        switch fault {
        case .status(let status)?:
            counters.withLock { $0.faults += 1 }
            log("inbox: fault: answering \(status)")
            var response = HTTPResponse.error(status, code: "injected_fault", message: "injected fault")
            if status == 429 || status == 503 { response.headers.add("Retry-After", "1") }
            return response
        case .drop?:
            counters.withLock { $0.faults += 1 }
            log("inbox: fault: dropping the connection")
            return .dropConnection
        case .timeout?:
            counters.withLock { $0.faults += 1 }
            log("inbox: fault: stalling for \(timeoutDelay)")
            try? await Task.sleep(for: timeoutDelay)
        case nil:
            break
        }
        return await accept(request)
    }

    private func accept(_ request: HTTPRequest) async -> HTTPResponse {
        let id = request.headers[StandardWebhooks.Header.id]
        do {
            try StandardWebhooks.verify(id: id, timestamp: request.headers[StandardWebhooks.Header.timestamp],
                                        signature: request.headers[StandardWebhooks.Header.signature], body: request.body,
                                        secret: secret, now: clock().seconds, tolerance: tolerance)
        } catch {
            counters.withLock { $0.refused += 1 }
            log("inbox: refused \(id ?? "-"): \(error)")
            return .error(401, code: "invalid_signature", message: error.description)
        }
        // The id names a file: only a safe alphabet, so it can never escape the directory.
        guard let id, id.utf8.count <= 128, id.utf8.allSatisfy({ Self.idAlphabet.contains($0) }) else {
            counters.withLock { $0.refused += 1 }
            return .error(400, code: "invalid_webhook_id", message: "webhook-id must be 1-128 of [A-Za-z0-9_-]")
        }
        guard (try? JSONParser.parse(request.body)) != nil else {
            counters.withLock { $0.refused += 1 }
            return .error(400, code: "malformed_json", message: "the body is not valid JSON")
        }
        let body = request.body, directory = self.directory
        let stored: Result<Bool, any Error> = await withCheckedContinuation { continuation in
            diskQueue.async { continuation.resume(returning: Result { try Self.storeOnce(body, id: id, in: directory) }) }
        }
        switch stored {
        case .success(true):
            counters.withLock { $0.stored += 1 }
            arrivals.withLock { $0.append(id) }
            log("inbox: stored \(id)")
            return .json(200, ["status": "stored", "webhook_id": .string(id)])
        case .success(false):
            counters.withLock { $0.duplicates += 1 }
            log("inbox: duplicate \(id), already stored")
            return .json(200, ["status": "duplicate", "webhook_id": .string(id)])
        case .failure(let error):
            log("inbox: could not store \(id): \(error)")
            return .error(500, code: "storage_failed", message: "could not store the order")
        }
    }

    private static let idAlphabet: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".utf8))

    /// Writes to a temporary file, fsyncs it, then links it to its final name: `link` fails if the
    /// name exists, so two concurrent deliveries of one id store it once, and a crash never
    /// leaves a half-written order under the final name. Returns false for a duplicate.
    static func storeOnce(_ body: [UInt8], id: String, in directory: URL) throws -> Bool {
        let final = directory.appendingPathComponent("\(id).json").path
        if FileManager.default.fileExists(atPath: final) { return false }
        let temporary = directory.appendingPathComponent(".\(id).\(UInt64.random(in: 0...UInt64.max)).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { unlink(temporary) }
        var written = 0
        let ok = body.withUnsafeBytes { bytes -> Bool in
            while written < bytes.count {
                let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
                if n < 0 { if errno == EINTR { continue }; return false }
                written += n
            }
            return fsync(fd) == 0
        }
        let closed = Glibc.close(fd) == 0
        guard ok, closed else { throw POSIXError(.EIO) }
        if link(temporary, final) != 0 {
            if errno == EEXIST { return false }
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        // Make the new name itself durable.
        let dirFD = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 { _ = fsync(dirFD); _ = Glibc.close(dirFD) }
        return true
    }
}
