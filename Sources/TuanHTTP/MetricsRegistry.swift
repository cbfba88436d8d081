import Synchronization

/// Counters and histograms rendered in the Prometheus text format (version 0.0.4).
public final class MetricsRegistry: Sendable {
    public static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    private struct Histogram {
        var buckets: [Int64]
        var count: Int64 = 0
        var sum: Double = 0
    }

    private struct State {
        var counters: [String: [String: Int64]] = [:]       // name → labels → value
        var histograms: [String: [String: Histogram]] = [:]
        var help: [String: (type: String, text: String)] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public func describe(_ name: String, type: String, help: String) {
        state.withLock { $0.help[name] = (type, help) }
    }

    public func increment(_ name: String, labels: [(String, String)] = [], by amount: Int64 = 1) {
        let key = Self.render(labels)
        state.withLock { $0.counters[name, default: [:]][key, default: 0] += amount }
    }

    public func observe(_ name: String, labels: [(String, String)] = [], seconds: Double) {
        let key = Self.render(labels)
        state.withLock { s in
            var h = s.histograms[name]?[key] ?? Histogram(buckets: Array(repeating: 0, count: Self.latencyBuckets.count))
            for (i, bound) in Self.latencyBuckets.enumerated() where seconds <= bound { h.buckets[i] += 1 }
            h.count += 1
            h.sum += seconds
            s.histograms[name, default: [:]][key] = h
        }
    }

    public func counterValue(_ name: String, labels: [(String, String)] = []) -> Int64 {
        state.withLock { $0.counters[name]?[Self.render(labels)] ?? 0 }
    }

    /// The registry's series plus `extra` lines (gauges computed at scrape time).
    public func render(extra: [String] = []) -> String {
        state.withLock { s in
            var lines: [String] = []
            for name in s.counters.keys.sorted() {
                if let h = s.help[name] { lines += ["# HELP \(name) \(h.text)", "# TYPE \(name) \(h.type)"] }
                for (labels, value) in s.counters[name]!.sorted(by: { $0.key < $1.key }) { lines.append("\(name)\(labels) \(value)") }
            }
            for name in s.histograms.keys.sorted() {
                if let h = s.help[name] { lines += ["# HELP \(name) \(h.text)", "# TYPE \(name) histogram"] }
                for (labels, h) in s.histograms[name]!.sorted(by: { $0.key < $1.key }) {
                    let inner = labels.isEmpty ? "" : String(labels.dropFirst().dropLast()) + ","
                    for (i, bound) in Self.latencyBuckets.enumerated() {
                        lines.append("\(name)_bucket{\(inner)le=\"\(bound)\"} \(h.buckets[i])")
                    }
                    lines.append("\(name)_bucket{\(inner)le=\"+Inf\"} \(h.count)")
                    lines.append("\(name)_sum\(labels) \(h.sum)")
                    lines.append("\(name)_count\(labels) \(h.count)")
                }
            }
            return (lines + extra).joined(separator: "\n") + "\n"
        }
    }

    static func render(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
    }

    static func escape(_ v: String) -> String {
        // Label values are almost always plain (routes, methods, status codes): skip the rewrite.
        guard v.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return v }
        return v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}

/// Counts requests by route, method and status, and times them by route.
public struct MetricsMiddleware<Context: RequestContext>: Middleware {
    let registry: MetricsRegistry

    public init(registry: MetricsRegistry) {
        self.registry = registry
        registry.describe("http_requests_total", type: "counter", help: "HTTP requests by route, method and status.")
        registry.describe("http_request_duration_seconds", type: "histogram", help: "HTTP request latency by route.")
    }

    public func handle(_ request: HTTPRequest, context: Context, next: HTTPNext<Context>) async throws -> HTTPResponse {
        let start = ContinuousClock.now
        let response: HTTPResponse
        do { response = try await next(request, context) } catch let error as HTTPError { response = error.response }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        registry.increment("http_requests_total", labels: [("route", context.route), ("method", request.method), ("status", String(response.status))])
        registry.observe("http_request_duration_seconds", labels: [("route", context.route)], seconds: seconds)
        return response
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var out = ""
        var rest = self[...]
        while let range = rest.range(of: target) {
            out += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
