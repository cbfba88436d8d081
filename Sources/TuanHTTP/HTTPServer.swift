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

    public init(configuration: Configuration, responder: any HTTPResponder) throws {
        self.configuration = configuration
        self.responder = responder
        self.loops = try (0..<max(1, configuration.eventLoopCount)).map { try EventLoop(index: $0) }
        self.connections = Array(repeating: [:], count: loops.count)
    }

    public var isDraining: Bool { draining.load(ordering: .relaxed) }
    public var openConnections: Int { connectionCount.load(ordering: .relaxed) }

    /// Binds, starts the loops and returns the port actually bound.
    @discardableResult
    public func start() throws -> Int {
        let (fd, port) = try Socket.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        self.port = port
        for (index, loop) in loops.enumerated() {
            loop.addPeriodicTask { [self] in
                let now = EventLoop.monotonicMilliseconds()
                for connection in Array(connections[index].values) { connection.checkTimeouts(now: now) }
            }
            loop.start()
        }
        let listener = Listener(fd: fd, server: self)
        self.listener = listener
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
        if connectionCount.load(ordering: .relaxed) >= configuration.maxConnections || isDraining {
            metrics.rejectedConnections.add(1, ordering: .relaxed)
            _ = Self.overloadedResponse.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            Glibc.close(fd)
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

    /// Written straight to a socket we will not serve, so built once with its real length.
    private static let overloadedResponse: [UInt8] = {
        let body = HTTPResponse.error(503, code: "overloaded", message: "too many open connections").body
        return Array("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
    }()

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
            // EMFILE/ENFILE: out of descriptors; the next tick retries rather than spinning here.
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

    public struct Snapshot: Sendable {
        public var openConnections: Int
        public var acceptedConnections: Int
        public var rejectedConnections: Int
        public var parseFailures: Int
        public var timeouts: Int
    }

    func snapshot(openConnections: Int) -> Snapshot {
        Snapshot(openConnections: openConnections, acceptedConnections: acceptedConnections.load(ordering: .relaxed),
                 rejectedConnections: rejectedConnections.load(ordering: .relaxed),
                 parseFailures: parseFailures.load(ordering: .relaxed), timeouts: timeouts.load(ordering: .relaxed))
    }
}
