import Foundation
import Synchronization
import Testing
import TuanTesting
@testable import TuanHTTP

struct EchoContext: RequestContext {
    var route = "", parameters: [String: String] = [:], requestID = ""
    init(request: HTTPRequest) {}
}

final class Gate: Sendable {
    let isOpen = Atomic<Bool>(false)
}

/// A running server on port 0 with a few test routes.
final class TestServer: @unchecked Sendable {
    let server: HTTPServer
    let port: Int
    /// `/gated` answers only once this is set: tests decide when a request finishes.
    let gate = Gate()

    init(configure: (inout HTTPServer.Configuration) -> Void = { _ in }) throws {
        var router = Router<EchoContext>()
        router.add(RequestIDMiddleware())
        router.get("/hello/{name}") { _, ctx in .text(200, "hello \(ctx.parameters["name"]!)") }
        router.post("/echo") { req, _ in HTTPResponse(status: 200, body: req.body) }
        let gate = self.gate
        router.get("/gated") { _, _ in
            while !gate.isOpen.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(5)) }
            return .text(200, "done")
        }
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.eventLoopCount = 2
        // A test that sends a request in parts (100-continue, then the body) may be starved for
        // longer than the production slowloris guard while the whole suite starts on two cores;
        // the timeout tests set their own, short, values.
        configuration.requestTimeoutMilliseconds = 120_000
        configure(&configuration)
        server = try HTTPServer(configuration: configuration, responder: router)
        port = try server.start()
    }

}

@Suite struct HTTPServerTests {
    @Test func servesKeepAliveAndPipelinedRequests() async throws {
        let s = try TestServer()
        defer { s.server.shutdown() }
        let c = try RawClient(port: s.port)
        c.send("GET /hello/a HTTP/1.1\r\nHost: x\r\n\r\nGET /hello/b HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyz")
        #expect(await c.readResponse()?.body == "hello a")
        let second = await c.readResponse()
        #expect(second?.body == "hello b" && second?.headers["connection"] == "keep-alive")
        #expect(await c.readResponse()?.body == "xyz")
        c.send("GET /hello/c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let last = await c.readResponse()
        #expect(last?.body == "hello c" && last?.headers["connection"] == "close")
        #expect(await c.isClosedByPeer())
    }

    @Test func headOmitsTheBodyAndUnknownRoutesAre404And405() async throws {
        let s = try TestServer()
        defer { s.server.shutdown() }
        let c = try RawClient(port: s.port)
        c.send("HEAD /hello/z HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = await c.readResponse(head: true)
        #expect(head?.status == 200 && head?.headers["content-length"] == "7")
        c.send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await c.readResponse()?.status == 404)
        c.send("DELETE /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        let r = await c.readResponse()
        #expect(r?.status == 405 && r?.headers["allow"] == "POST")
        #expect(r?.body.contains("\"code\":\"method_not_allowed\"") == true)
    }

    @Test(arguments: [
        ("GARBAGE\r\n\r\n", 400),
        ("GET /x HTTP/1.1\r\n\r\n", 400),                                          // no Host
        ("GET /x HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        ("GET x HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET /x HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400),
        ("GET /x HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n", 400),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", 411),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n", 413),
    ])
    func malformedRequestsGetTheRightStatus(request: String, status: Int) async throws {
        let s = try TestServer()
        defer { s.server.shutdown() }
        let c = try RawClient(port: s.port)
        c.send(request)
        let r = await c.readResponse()
        #expect(r?.status == status)
        #expect(r?.body.contains("\"error\"") == true)
        // …and the server keeps serving others.
        let other = try RawClient(port: s.port)
        other.send("GET /hello/ok HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await other.readResponse()?.status == 200)
    }

    @Test func oversizedHeadersAndRequestLinesAreRefused() async throws {
        let s = try TestServer()
        defer { s.server.shutdown() }
        let c1 = try RawClient(port: s.port)
        c1.send("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await c1.readResponse()?.status == 414)
        let c2 = try RawClient(port: s.port)
        c2.send("GET /x HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "b", count: 40_000) + "\r\n\r\n")
        #expect(await c2.readResponse()?.status == 431)
        let c3 = try RawClient(port: s.port)
        c3.send("GET /x HTTP/1.1\r\nHost: x\r\n" + (0..<150).map { "X-\($0): 1\r\n" }.joined() + "\r\n")
        #expect(await c3.readResponse()?.status == 431)
    }

    @Test func slowClientsTimeOutWhileOthersAreServed() async throws {
        let s = try TestServer { $0.requestTimeoutMilliseconds = 600; $0.idleTimeoutMilliseconds = 800 }
        defer { s.server.shutdown() }
        let slow = try RawClient(port: s.port)
        slow.send("GET /hello/a HTTP/1.1\r\nHo")          // never finishes: slowloris
        let idle = try RawClient(port: s.port)             // connects and says nothing
        let ok = try RawClient(port: s.port)
        ok.send("GET /hello/b HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await ok.readResponse()?.status == 200)
        #expect(await slow.readResponse()?.status == 408)
        #expect(await idle.isClosedByPeer())
    }

    @Test func connectionLimitAnswers503() async throws {
        let s = try TestServer { $0.maxConnections = 2 }
        defer { s.server.shutdown() }
        let a = try RawClient(port: s.port), b = try RawClient(port: s.port)
        a.send("GET /hello/a HTTP/1.1\r\nHost: x\r\n\r\n"); _ = await a.readResponse()
        b.send("GET /hello/b HTTP/1.1\r\nHost: x\r\n\r\n"); _ = await b.readResponse()
        let c = try RawClient(port: s.port)
        #expect(await c.readResponse()?.status == 503)
    }

    @Test func gracefulShutdownFinishesInFlightRequests() async throws {
        let s = try TestServer()
        defer { s.server.shutdown() }
        let c = try RawClient(port: s.port)
        c.send("GET /gated HTTP/1.1\r\nHost: x\r\n\r\n")
        let server = s.server
        while server.inFlight.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(5)) }
        async let stopped: Void = offPool { server.shutdown() }
        // The request finishes only once the server is draining, whatever the scheduling.
        while !server.isDraining { try await Task.sleep(for: .milliseconds(5)) }
        s.gate.isOpen.store(true, ordering: .releasing)
        let r = await c.readResponse()
        #expect(r?.status == 200 && r?.body == "done" && r?.headers["connection"] == "close")
        await stopped
        #expect(throws: (any Error).self) { try RawClient(port: s.port) }
    }

    @Test func expectContinueIsHonoured() async throws {
        let s = try TestServer()
        defer { s.server.shutdown() }
        let c = try RawClient(port: s.port)
        c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
        #expect(await c.readResponse()?.status == 100)
        c.send("hi")
        #expect(await c.readResponse()?.body == "hi")
    }
}

@Suite struct HTTPParserTests {
    @Test func parsesIncrementallyByteByByte() {
        let text = Array("POST /a/b%20c?x=1&y=%E5%9B%A2 HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody".utf8)
        for cut in 0..<text.count {
            if case .request = HTTPRequestParser.parse(text[0..<cut], limits: HTTPLimits()) { Issue.record("complete at \(cut)") }
        }
        guard case .request(let r, let consumed) = HTTPRequestParser.parse(text[...], limits: HTTPLimits()) else {
            Issue.record("not parsed"); return
        }
        #expect(consumed == text.count)
        #expect(r.path == "/a/b c" && r.query["y"] == "团" && r.body == Array("body".utf8))
    }

    /// Property: random bytes never crash the parser and never yield a request without a Host.
    @Test func randomInputNeverCrashes() {
        var state: UInt64 = 12345
        for _ in 0..<3000 {
            let n = Int(state % 300)
            var bytes: [UInt8] = []
            for _ in 0..<n {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let pick = Int(state >> 60)
                bytes += pick < 4 ? Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8.prefix(Int(state >> 59) % 27)) : [UInt8(truncatingIfNeeded: state >> 33)]
            }
            if case .request(let r, _) = HTTPRequestParser.parse(bytes[...], limits: HTTPLimits()) {
                #expect(r.headers["Host"] != nil || r.version == .http10)
            }
        }
    }
}

/// Hardening: what one client can make the server hold, and how it frames and finishes.
@Suite struct HTTPHardeningTests {
    /// A client that pipelines without reading is held to one request's worth of input: reads
    /// stop while the buffer is full and TCP backpressure slows the client. Before, each
    /// answered request let one more 64 KiB read in, and one connection grew to gigabytes.
    @Test func pipeliningWithoutReadingIsHeldToTheInputLimit() async throws {
        let s = try TestServer { $0.limits.maxHeaderBytes = 2_048; $0.limits.maxBodyBytes = 2_048 }
        defer { s.server.shutdown() }
        let c = try RawClient(port: s.port)
        let chunk = Array(String(repeating: "GET /hello/x HTTP/1.1\r\nHost: x\r\n\r\n", count: 256).utf8)
        var sent = 0
        let deadline = Date().addingTimeInterval(2)
        while Date() < deadline, sent < 64 * 1024 * 1024 {
            let n = c.sendNonBlocking(chunk)
            if n == 0 { try await Task.sleep(for: .milliseconds(5)) } else { sent += n }
        }
        let limit = 2_048 + 4 + 2_048
        #expect(s.server.peakBufferedInput.load(ordering: .relaxed) <= limit)
        // The client could send far more than the server holds (kernel buffers aside): backpressure worked.
        #expect(sent < 64 * 1024 * 1024)
        // And the connection still answers in order once the client reads.
        #expect(await c.readResponse()?.body == "hello x")
    }

    /// Five pipelined requests, then the client half-closes: every request received in full
    /// is answered before the server closes. Before, one or two were.
    @Test func halfCloseAfterPipeliningGetsEveryAnswer() async throws {
        let s = try TestServer()
        defer { s.server.shutdown() }
        let c = try RawClient(port: s.port)
        c.send((1...5).map { "GET /hello/\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
        c.shutdownWrite()
        for i in 1...5 { #expect(await c.readResponse()?.body == "hello \(i)") }
        #expect(await c.isClosedByPeer())
    }

    /// RFC 9112 §6.3: a Content-Length that is not one valid length is 400 and close. Before,
    /// an empty value, ",", ",4" and "4,,4" were read as 0 or 4, and an empty duplicate ignored.
    @Test(arguments: ["", ",", ",4", "4,,4", "4,", " , 4", "4, 5", "+4", "0x4", "4 4", "-1"])
    func invalidContentLengthIsRefused(value: String) async throws {
        let s = try TestServer()
        defer { s.server.shutdown() }
        let c = try RawClient(port: s.port)
        c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: \(value)\r\n\r\nabcd")
        let reply = await c.readResponse()
        #expect(reply?.status == 400)
        #expect(await c.isClosedByPeer())
    }

    @Test func anEmptyDuplicateContentLengthIsRefused() async throws {
        let s = try TestServer()
        defer { s.server.shutdown() }
        let c = try RawClient(port: s.port)
        c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length:\r\n\r\nabcd")
        #expect(await c.readResponse()?.status == 400)
    }

    /// Identical lengths, as a list or repeated, are one length.
    @Test func aListOfTheSameLengthFramesOnce() async throws {
        let s = try TestServer()
        defer { s.server.shutdown() }
        let c = try RawClient(port: s.port)
        c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4, 4\r\nContent-Length: 4\r\n\r\nabcdGET /hello/z HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await c.readResponse()?.body == "abcd")
        #expect(await c.readResponse()?.body == "hello z")
    }

    /// The largest request the limits allow (a full head and a full body) still fits in the
    /// input buffer, so reading never pauses on a request that could not then complete.
    @Test func theLargestAllowedRequestFitsTheInputLimit() async throws {
        let s = try TestServer { $0.limits.maxHeaderBytes = 256; $0.limits.maxBodyBytes = 1_024 }
        defer { s.server.shutdown() }
        let c = try RawClient(port: s.port)
        var head = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\nX-Pad: "
        head += String(repeating: "p", count: 256 - head.utf8.count)
        #expect(head.utf8.count == 256)
        c.send(head + "\r\n\r\n" + String(repeating: "b", count: 1_024) + "GET /hello/after HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await c.readResponse()?.body.count == 1_024)
        #expect(await c.readResponse()?.body == "hello after")
    }

    @Test func connectionsAreClampedToTheDescriptorLimit() {
        #expect(DescriptorLimit.connectionsAllowed(configured: 4_096, softLimit: 1_024) == 1_024 - DescriptorLimit.reserved)
        #expect(DescriptorLimit.connectionsAllowed(configured: 100, softLimit: 65_536) == 100)
        #expect(DescriptorLimit.connectionsAllowed(configured: 4_096, softLimit: 10) == 1)
    }
}
