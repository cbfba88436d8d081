import CEpoll
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on non-blocking sockets and epoll, one event loop thread per core.
/// Handlers run as Swift tasks; the loops never block on them.
public final class HTTPServer: @unchecked Sendable {
    public let configuration: Configuration
    let responder: any HTTPResponder
    let metrics = ServerCounters()
    let inFlight = Atomic<Int>(0)
    private let connectionCount = Atomic<Int>(0)
    private let draining = Atomic<Bool>(false)
    private let loops: [EventLoop]
    private let nextLoop = Atomic<Int>(0)
    /// Per loop, its live connections: touched only on that loop's thread.
    private var connections: [[Int32: HTTPConnection]]
    private var listener: Listener?
    private let state = Mutex<(started: Bool, stopped: Bool)>((false, false))

    public private(set) var port = 0
    /// `configuration.maxConnections`, clamped at start to what the descriptor limit allows.
    public private(set) var maxConnections: Int
    /// What `start` did about the descriptor limit, for the operator's log.
    public private(set) var descriptorNote = ""
    /// Touched on loop 0 only (the listener's loop): a descriptor held back so that, out of
    /// descriptors, one can still be freed to accept a client and answer it 503.
    fileprivate var spareDescriptor: Int32 = -1
    /// Loop 0 only: the listener is paused until this instant after EMFILE or ENFILE.
    fileprivate var acceptPausedUntil: Int64 = 0

    public init(configuration: Configuration, responder: any HTTPResponder) throws {
        self.configuration = configuration
        self.responder = responder
        self.loops = try (0..<max(1, configuration.eventLoopCount)).map { try EventLoop(index: $0) }
        self.connections = Array(repeating: [:], count: loops.count)
        self.maxConnections = configuration.maxConnections
    }

    public var isDraining: Bool { draining.load(ordering: .relaxed) }
    public var openConnections: Int { connectionCount.load(ordering: .relaxed) }

    /// Binds, starts the loops and returns the port actually bound.
    @discardableResult
    public func start() throws -> Int {
        let (fd, port) = try Socket.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        self.port = port
        let limits = DescriptorLimit.raiseSoftLimit()
        maxConnections = DescriptorLimit.connectionsAllowed(configured: configuration.maxConnections, softLimit: limits.now,
                                                            reserved: configuration.reservedDescriptors)
        descriptorNote = "open-file limit \(limits.now)" + (limits.now != limits.before ? " (raised from \(limits.before))" : "")
            + (maxConnections < configuration.maxConnections
                ? "; max connections clamped from \(configuration.maxConnections) to \(maxConnections)" : "; max connections \(maxConnections)")
        spareDescriptor = open("/dev/null", O_RDONLY | O_CLOEXEC)
        for (index, loop) in loops.enumerated() {
            loop.addPeriodicTask { [self] in
                let now = EventLoop.monotonicMilliseconds()
                for connection in Array(connections[index].values) { connection.checkTimeouts(now: now) }
            }
            loop.start()
        }
        let listener = Listener(fd: fd, server: self)
        self.listener = listener
        loops[0].addPeriodicTask { [self] in resumeAcceptingIfDue(listener) }
        loops[0].execute { [self] in loops[0].register(fd, events: EPOLLIN.rawValue, handler: listener) }
        state.withLock { $0.started = true }
        return port
    }

    /// Graceful shutdown: stop accepting, close idle connections, let in-flight requests
    /// finish (their responses say `Connection: close`) within the grace period, then stop.
    public func shutdown() {
        let proceed = state.withLock { s -> Bool in
            defer { s.stopped = true }
            return s.started && !s.stopped
        }
        guard proceed else { return }
        draining.store(true, ordering: .relaxed)
        let closed = DispatchSemaphore(value: 0)
        loops[0].execute { [self] in
            if let listener {
                loops[0].deregister(listener.fd)
                Glibc.close(listener.fd)
            }
            if spareDescriptor >= 0 { Glibc.close(spareDescriptor); spareDescriptor = -1 }
            closed.signal()
        }
        closed.wait()
        // Idle connections close on each loop's next tick; wait for in-flight work.
        let deadline = EventLoop.monotonicMilliseconds() + configuration.shutdownGraceMilliseconds
        while connectionCount.load(ordering: .relaxed) > 0, EventLoop.monotonicMilliseconds() < deadline {
            usleep(10_000)
        }
        for (index, loop) in loops.enumerated() {
            loop.execute { [self] in for c in Array(connections[index].values) { c.close() } }
            loop.stopAndWait()
        }
    }

    // MARK: loop threads

    fileprivate func accepted(_ fd: Int32) {
        if connectionCount.load(ordering: .relaxed) >= maxConnections || isDraining {
            reject(fd)
            return
        }
        connectionCount.add(1, ordering: .relaxed)
        metrics.acceptedConnections.add(1, ordering: .relaxed)
        Socket.setNoDelay(fd)
        let index = nextLoop.add(1, ordering: .relaxed).oldValue % loops.count
        let loop = loops[index]
        loop.execute { [self] in
            let connection = HTTPConnection(fd: fd, loop: loop, server: self)
            connections[index][fd] = connection
            loop.register(fd, events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue, handler: connection)
        }
    }

    private func reject(_ fd: Int32) {
        metrics.rejectedConnections.add(1, ordering: .relaxed)
        _ = Self.overloadedResponse.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        Glibc.close(fd)
    }

    /// accept failed with EMFILE or ENFILE (loop 0). Level-triggered epoll would report the
    /// waiting clients again at once and spin the loop, so: free the spare descriptor and,
    /// through it, accept every client waiting in the backlog and answer each 503 (each is
    /// closed before the next is accepted), take the spare back, and stop listening for a tick.
    fileprivate func outOfDescriptors(_ listener: Listener) {
        metrics.descriptorExhaustion.add(1, ordering: .relaxed)
        if spareDescriptor >= 0 {
            Glibc.close(spareDescriptor)
            for _ in 0..<max(1, Int(configuration.backlog)) {
                let client = tuan_accept4_nonblocking(listener.fd)
                guard client >= 0 else { break }
                reject(client)
            }
            spareDescriptor = open("/dev/null", O_RDONLY | O_CLOEXEC)
        }
        acceptPausedUntil = EventLoop.monotonicMilliseconds() + 100
        loops[0].setInterest(listener.fd, events: 0)
    }

    private func resumeAcceptingIfDue(_ listener: Listener) {
        guard acceptPausedUntil > 0, EventLoop.monotonicMilliseconds() >= acceptPausedUntil, !isDraining else { return }
        acceptPausedUntil = 0
        loops[0].setInterest(listener.fd, events: EPOLLIN.rawValue)
    }

    /// Written straight to a socket we will not serve, so built once with its real length.
    private static let overloadedResponse: [UInt8] = {
        let body = HTTPResponse.error(503, code: "overloaded", message: "too many open connections").body
        return Array("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
    }()

    /// The most input any one connection has held at once (for tests and the attack drill).
    let peakBufferedInput = Atomic<Int>(0)

    func noteBufferedInput(_ bytes: Int) {
        var seen = peakBufferedInput.load(ordering: .relaxed)
        while bytes > seen {
            let (exchanged, current) = peakBufferedInput.compareExchange(expected: seen, desired: bytes, ordering: .relaxed)
            if exchanged { return }
            seen = current
        }
    }

    func connectionClosed(_ connection: HTTPConnection) {
        connections[connection.loop.index][connection.fd] = nil
        connectionCount.subtract(1, ordering: .relaxed)
    }

    public var counters: ServerCounters.Snapshot { metrics.snapshot(openConnections: openConnections) }
}

/// The listening socket's handler: accepts until the backlog is empty.
private final class Listener: EventLoop.Handler, @unchecked Sendable {
    let fd: Int32
    unowned let server: HTTPServer

    init(fd: Int32, server: HTTPServer) {
        self.fd = fd
        self.server = server
    }

    func handleEvents(_ events: UInt32) {
        while true {
            let client = tuan_accept4_nonblocking(fd)
            if client >= 0 { server.accepted(client); continue }
            let error = errno
            if error == EMFILE || error == ENFILE { server.outOfDescriptors(self); return }
            // A client that gave up before it was accepted, or a signal: go on with the rest.
            if error == EINTR || error == ECONNABORTED { continue }
            // EAGAIN: the backlog is empty.
            return
        }
    }
}

/// Connection-level counters for /metrics.
public final class ServerCounters: Sendable {
    let acceptedConnections = Atomic<Int>(0)
    let rejectedConnections = Atomic<Int>(0)
    let parseFailures = Atomic<Int>(0)
    let timeouts = Atomic<Int>(0)
    let descriptorExhaustion = Atomic<Int>(0)

    public struct Snapshot: Sendable {
        public var openConnections: Int
        public var acceptedConnections: Int
        public var rejectedConnections: Int
        public var parseFailures: Int
        public var timeouts: Int
        /// Times accept failed for want of descriptors (each paused the listener for a tick).
        public var descriptorExhaustion: Int
    }

    func snapshot(openConnections: Int) -> Snapshot {
        Snapshot(openConnections: openConnections, acceptedConnections: acceptedConnections.load(ordering: .relaxed),
                 rejectedConnections: rejectedConnections.load(ordering: .relaxed),
                 parseFailures: parseFailures.load(ordering: .relaxed), timeouts: timeouts.load(ordering: .relaxed),
                 descriptorExhaustion: descriptorExhaustion.load(ordering: .relaxed))
    }
}
