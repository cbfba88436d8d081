import CCurl
import Foundation

/// What came back from one POST.
public struct CurlResponse: Sendable {
    /// nil when no HTTP answer arrived.
    public var statusCode: Int?
    /// Response headers, names lowercased.
    public var headers: [String: String]
    /// The first `CurlClient.maximumBodyBytes` of the answer, for the attempt log.
    public var body: [UInt8]
    public var latencyMilliseconds: Int64
    /// curl's explanation when the transfer failed (refused, timed out, reset, TLS).
    public var error: String?
}

/// A blocking HTTP client on one reused libcurl easy handle (connection reuse between
/// deliveries to the same supplier). Not thread-safe, like the handle under it: each delivery
/// thread owns one. TLS peers are verified, redirects are never followed (a webhook that
/// redirects is a failure), only http and https are allowed, and every transfer has a connect
/// and a total timeout.
public final class CurlClient {
    public static let maximumBodyBytes = 4_096

    private let handle: UnsafeMutableRawPointer
    private let connectTimeoutMilliseconds: Int
    private let totalTimeoutMilliseconds: Int
    /// Whether loopback and private addresses may be connected to (tests, drills, a private
    /// network that opts in); link-local and unspecified addresses never are.
    private let allowPrivateAddresses: Bool

    /// `curl_global_init` is not thread-safe on every build: run it once, first.
    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    public init(connectTimeout: Double = 5, totalTimeout: Double = 30, allowPrivateAddresses: Bool = false) {
        self.allowPrivateAddresses = allowPrivateAddresses
        _ = Self.globalInit
        guard let handle = curl_easy_init() else { fatalError("curl_easy_init failed: out of memory") }
        self.handle = handle
        self.connectTimeoutMilliseconds = Int(connectTimeout * 1000)
        self.totalTimeoutMilliseconds = Int(totalTimeout * 1000)
    }

    deinit { curl_easy_cleanup(handle) }

    /// Collects what curl hands to the write and header callbacks.
    private final class Sink {
        var body: [UInt8] = []
        var headers: [String: String] = [:]
    }

    public func post(url: String, headers: [(String, String)], body: [UInt8]) -> CurlResponse {
        curl_easy_reset(handle)
        let sink = Sink()
        var list: UnsafeMutablePointer<curl_slist>?
        // An empty Expect suppresses `Expect: 100-continue` and its extra round trip.
        for (name, value) in headers + [("Expect", "")] {
            list = curl_slist_append(list, "\(name): \(value)")
        }
        defer { curl_slist_free_all(list) }

        _ = tuan_curl_setopt_string(handle, CURLOPT_URL, url)
        _ = tuan_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        // Checked against the address actually resolved, at connect time (see shim.h).
        _ = tuan_curl_restrict_addresses(handle, allowPrivateAddresses ? 1 : 0)
        _ = tuan_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        _ = tuan_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = tuan_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        _ = tuan_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        _ = tuan_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, connectTimeoutMilliseconds)
        _ = tuan_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, totalTimeoutMilliseconds)
        _ = tuan_curl_setopt_string(handle, CURLOPT_USERAGENT, "Tuan-Delivery/1")
        _ = tuan_curl_setopt_long(handle, CURLOPT_POST, 1)
        _ = tuan_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
        // Size first, then COPYPOSTFIELDS: curl keeps its own copy, so no Swift buffer must outlive the call.
        _ = tuan_curl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
        body.withUnsafeBufferPointer { buffer in
            _ = tuan_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS,
                                         UnsafeMutableRawPointer(mutating: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!))
        }
        install(sink)

        let started = DispatchTime.now()
        let code = curl_easy_perform(handle)
        let latency = Int64((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000)
        var status = 0
        _ = tuan_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        if code != CURLE_OK {
            let message = String(cString: curl_easy_strerror(code))
            return CurlResponse(statusCode: nil, headers: sink.headers, body: sink.body, latencyMilliseconds: latency,
                                error: "curl \(code.rawValue): \(message)")
        }
        return CurlResponse(statusCode: status, headers: sink.headers, body: sink.body, latencyMilliseconds: latency, error: nil)
    }

    /// Points curl's write and header callbacks at `sink`, which must outlive the transfer.
    /// The body is kept up to `maximumBodyBytes`; a 1xx response's headers are forgotten.
    private func install(_ sink: Sink) {
        let context = Unmanaged.passUnretained(sink).toOpaque()
        _ = tuan_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        _ = tuan_curl_setopt_write_function(handle) { data, size, count, context in
            let total = size * count
            guard let data, let context else { return total }
            let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
            let room = max(0, CurlClient.maximumBodyBytes - sink.body.count)
            if room > 0 {
                data.withMemoryRebound(to: UInt8.self, capacity: total) { bytes in
                    sink.body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: min(room, total)))
                }
            }
            return total
        }
        _ = tuan_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        _ = tuan_curl_setopt_header_function(handle) { data, size, count, context in
            let total = size * count
            guard let data, let context else { return total }
            let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
            let line = data.withMemoryRebound(to: UInt8.self, capacity: total) {
                String(decoding: UnsafeBufferPointer(start: $0, count: total), as: UTF8.self)
            }
            if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
                sink.headers[name] = value
            } else if line.hasPrefix("HTTP/") {
                sink.headers = [:]   // a new response (after 1xx): forget the previous headers
            }
            return total
        }
    }
}
