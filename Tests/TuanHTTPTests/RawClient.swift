import Foundation
import TuanTesting
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP client for tests: sends exact bytes and reads what the server answers,
/// so malformed requests can be written that no HTTP library would produce.
final class RawClient: @unchecked Sendable {
    let fd: Int32

    /// The receive timeout only ends a test whose server never answers: when the whole suite
    /// starts at once on two cores, a healthy answer can take several seconds to be scheduled.
    init(port: Int, receiveTimeoutSeconds: Int = 30) throws {
        // `self.fd` is set only once connected: an initializer that throws after every stored
        // property is set still runs `deinit`, which would close the descriptor a second time,
        // by then perhaps another test's socket in this same process.
        let fd = LoopbackHTTP.connect(port: port, timeoutSeconds: receiveTimeoutSeconds)
        guard fd >= 0 else { throw POSIXError(.ECONNREFUSED) }
        self.fd = fd
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    /// Half-closes: the server reads end of input, and may still answer.
    func shutdownWrite() { _ = Glibc.shutdown(fd, Int32(SHUT_WR)) }

    /// Sends without blocking: returns how many bytes the kernel took (0 when its buffers are full).
    func sendNonBlocking(_ bytes: [UInt8]) -> Int {
        let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        return max(0, n)
    }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Reads one response (head + Content-Length body). nil if the connection closed first.
    func readResponse(head: Bool = false) async -> (status: Int, headers: [String: String], body: String)? {
        await offPool { self.readResponseBlocking(head: head) }
    }

    func readResponseBlocking(head isHead: Bool = false) -> (status: Int, headers: [String: String], body: String)? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        func fill() -> Bool {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return false }
            buffer += chunk[0..<n]
            return true
        }
        while true {
            if let end = findHeadEnd(buffer) {
                let head = String(decoding: buffer[0..<end], as: UTF8.self)
                var lines = head.components(separatedBy: "\r\n")
                let statusLine = lines.removeFirst().split(separator: " ")
                guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
                var headers: [String: String] = [:]
                for line in lines {
                    if let colon = line.firstIndex(of: ":") {
                        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    }
                }
                let length = isHead ? 0 : (Int(headers["content-length"] ?? "0") ?? 0)
                while buffer.count < end + 4 + length { if !fill() { return nil } }
                let body = String(decoding: buffer[(end + 4)..<(end + 4 + length)], as: UTF8.self)
                leftover = Array(buffer[(end + 4 + length)...])
                return (status, headers, body)
            }
            if !leftover.isEmpty { buffer = leftover + buffer; leftover = []; continue }
            if !fill() { return nil }
        }
    }

    private var leftover: [UInt8] = []

    /// True when the server has closed its end (read returns 0).
    func isClosedByPeer() async -> Bool {
        await offPool {
            var byte: UInt8 = 0
            return recv(self.fd, &byte, 1, 0) == 0
        }
    }

    private func findHeadEnd(_ b: [UInt8]) -> Int? {
        guard b.count >= 4 else { return nil }
        for i in 0...(b.count - 4) where b[i] == 13 && b[i + 1] == 10 && b[i + 2] == 13 && b[i + 3] == 10 { return i }
        return nil
    }
}
