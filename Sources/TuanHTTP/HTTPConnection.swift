import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// One client connection, owned by one event loop and touched only on its thread
/// (hence `@unchecked Sendable`: a handler task only carries it back to that loop).
///
/// reading → processing (one request at a time; further pipelined bytes wait in the buffer)
/// → writing → reading again (keep-alive) or closed.
final class HTTPConnection: EventLoop.Handler, @unchecked Sendable {
    enum State { case reading, processing, writing, closed }

    let fd: Int32
    let loop: EventLoop
    let server: HTTPServer
    let remoteAddress: String
    private(set) var state = State.reading
    private var input: [UInt8] = []
    private var inputStart = 0
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var closeAfterWrite = false
    private var sentContinue = false
    private var peerClosed = false
    /// Set while the input buffer holds `inputLimit` bytes: reading resumes once requests
    /// have been answered and taken out of it. Until then the kernel's buffers fill and TCP
    /// slows the client down, so a client pipelining without reading costs at most that much.
    private var readPaused = false
    private var requestStartedAt: Int64?
    private var lastActivity: Int64
    private var date = HTTPDate()

    init(fd: Int32, loop: EventLoop, server: HTTPServer) {
        self.fd = fd
        self.loop = loop
        self.server = server
        self.remoteAddress = Socket.peerAddress(fd)
        self.lastActivity = EventLoop.monotonicMilliseconds()
    }

    func handleEvents(_ events: UInt32) {
        // HUP and ERR are reported whatever the interest: with the peer gone for good there is
        // no one to answer, and waiting would spin the loop.
        if events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0, state != .reading { close(); return }
        if events & EPOLLIN.rawValue != 0 || events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { readAvailable() }
        if state == .writing, events & EPOLLOUT.rawValue != 0 { flush() }
    }

    private var buffered: Int { input.count - inputStart }

    /// The most input held for one connection: one largest request (a head of `maxHeaderBytes`,
    /// its blank line, a body of `maxBodyBytes`). Any complete request fits, so a paused read
    /// never waits on a request that cannot finish, and the parser refuses a larger one before
    /// it is all in.
    private var inputLimit: Int { server.configuration.limits.maxHeaderBytes + 4 + server.configuration.limits.maxBodyBytes }

    /// Reading stays enabled while a request is processed: an HTTP/1.1 client sends nothing
    /// more until it has its answer, so the socket stays quiet and toggling epoll interest
    /// around every request (two `epoll_ctl` calls) buys nothing. Whatever does arrive early
    /// (pipelined requests, or the peer closing) is buffered or noted, and interest is dropped
    /// only then, so level-triggered epoll cannot spin.
    private func readAvailable() {
        guard state != .closed, !readPaused, !peerClosed else { return }
        let limit = inputLimit
        let scratch = loop.readBuffer
        // Never more than the room left: a read is sized so the buffer cannot pass the limit.
        while buffered < limit {
            let n = recv(fd, scratch.baseAddress, min(scratch.count, limit - buffered), 0)
            if n > 0 {
                if requestStartedAt == nil { requestStartedAt = EventLoop.monotonicMilliseconds() }
                input.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                lastActivity = EventLoop.monotonicMilliseconds()
                // Level-triggered: one read per wake-up keeps loops fair between connections.
                if n < scratch.count { break }
                continue
            }
            if n == 0 { peerClosed = true; break }
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { break }
            close()
            return
        }
        readPaused = buffered >= limit
        server.noteBufferedInput(buffered)
        if state == .reading { processInputOrFinish() }
        updateInterest()
    }

    /// Handles the next buffered request; with the peer's side closed and no complete request
    /// left to answer, closes. A client that half-closes after pipelining gets every answer.
    private func processInputOrFinish() {
        processInput()
        if peerClosed, state == .reading { close() }
    }

    /// The epoll events this connection needs now; the loop skips the call if nothing changed.
    private func updateInterest() {
        guard state != .closed else { return }
        var events: UInt32 = 0
        if !readPaused && !peerClosed { events |= EPOLLIN.rawValue | EPOLLRDHUP.rawValue }
        if state == .writing && outputOffset < output.count { events |= EPOLLOUT.rawValue }
        loop.setInterest(fd, events: events)
    }

    private func processInput() {
        guard state == .reading else { return }
        if buffered == 0 {
            requestStartedAt = nil
            if server.isDraining { close() }
            return
        }
        switch HTTPRequestParser.parse(input[inputStart...], limits: server.configuration.limits, remoteAddress: remoteAddress) {
        case .incomplete(let expectsContinue):
            if expectsContinue, !sentContinue {
                sentContinue = true
                _ = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
        case .failure(let error):
            server.metrics.parseFailures.add(1, ordering: .relaxed)
            let response = HTTPResponse.error(error.status, code: Self.code(for: error.status), message: error.message)
            write(response, keepAlive: false, isHead: false)
        case .request(let request, let consumed):
            inputStart += consumed
            compactInput()
            state = .processing
            let keepAlive = request.wantsKeepAlive && !server.isDraining
            let isHead = request.method == "HEAD"
            let responder = server.responder
            server.inFlight.add(1, ordering: .relaxed)
            // The task prefers this connection's loop, so it starts and resumes on the loop
            // thread and can answer the connection directly.
            Task(executorPreference: loop) { [self] in
                let response = await responder.respond(to: request)
                server.inFlight.subtract(1, ordering: .relaxed)
                guard state == .processing else { return }
                if response.dropsConnection { close(); return }
                write(response, keepAlive: keepAlive && !server.isDraining, isHead: isHead)
            }
        }
    }

    static func code(for status: Int) -> String {
        switch status {
        case 408: return "request_timeout"
        case 411: return "length_required"
        case 413: return "body_too_large"
        case 414: return "uri_too_long"
        case 431: return "headers_too_large"
        case 505: return "http_version_not_supported"
        default: return "bad_request"
        }
    }

    private func compactInput() {
        if inputStart == input.count {
            input.removeAll(keepingCapacity: input.capacity <= 64 * 1024)
            inputStart = 0
        } else if inputStart > 32 * 1024 {
            input.removeFirst(inputStart)
            inputStart = 0
        }
    }

    private func write(_ response: HTTPResponse, keepAlive: Bool, isHead: Bool) {
        // Head and body go out in one buffer and, usually, one send. The buffer is moved out
        // and back so that it is written through a local variable and keeps its capacity.
        var out: [UInt8] = []
        swap(&out, &output)
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(256 + response.body.count)
        ResponseHead.write(response, date: date.now(), keepAlive: keepAlive, to: &out)
        if !isHead { out.append(contentsOf: response.body) }
        output = out
        outputOffset = 0
        closeAfterWrite = !keepAlive
        state = .writing
        lastActivity = EventLoop.monotonicMilliseconds()
        flush()
    }

    private func flush() {
        while outputOffset < output.count {
            let n = output.withUnsafeBytes { bytes in
                send(fd, bytes.baseAddress! + outputOffset, bytes.count - outputOffset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                outputOffset += n
                lastActivity = EventLoop.monotonicMilliseconds()
                continue
            }
            if n < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                updateInterest()
                return
            }
            if n < 0, errno == EINTR { continue }
            close()
            return
        }
        output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
        outputOffset = 0
        if closeAfterWrite {
            close()
            return
        }
        state = .reading
        sentContinue = false
        readPaused = buffered >= inputLimit
        requestStartedAt = buffered > 0 ? EventLoop.monotonicMilliseconds() : nil
        updateInterest()
        processInputOrFinish()
    }

    /// Called about every 250 ms on the loop thread.
    func checkTimeouts(now: Int64) {
        let config = server.configuration
        switch state {
        case .reading:
            if let started = requestStartedAt, buffered > 0 {
                if now - started > config.requestTimeoutMilliseconds {
                    server.metrics.timeouts.add(1, ordering: .relaxed)
                    write(.error(408, code: "request_timeout", message: "the request did not arrive in time"), keepAlive: false, isHead: false)
                }
            } else if server.isDraining || now - lastActivity > config.idleTimeoutMilliseconds {
                close()
            }
        case .writing:
            if now - lastActivity > config.writeTimeoutMilliseconds { close() }
        case .processing, .closed:
            break
        }
    }

    func close() {
        guard state != .closed else { return }
        state = .closed
        loop.deregister(fd)
        Glibc.close(fd)
        server.connectionClosed(self)
    }
}
