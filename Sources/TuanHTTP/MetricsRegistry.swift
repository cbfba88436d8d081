import Synchronization

/// Counters and histograms rendered in the Prometheus text format (version 0.0.4).
public final class MetricsRegistry: Sendable {
    public static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    private struct Histogram {
        /// Per bucket, the values that fell in it and in no smaller bucket.
        var buckets: [Int64]
        var count: Int64 = 0
        var sum: Double = 0

        mutating func record(_ value: Double, bucket: Int?) {
            if let bucket { buckets[bucket] += 1 }
            count += 1
            sum += value
        }
    }

    /// A series: its name and label values, in the order given. Label text is rendered only
    /// at scrape time, so recording a value costs a hash and an add.
    private struct Series: Hashable {
        var name: String
        var labels: [String]   // name, value, name, value, …

        init(_ name: String, _ labels: [(String, String)]) {
            self.name = name
            self.labels = []
            self.labels.reserveCapacity(labels.count * 2)
            for (key, value) in labels { self.labels.append(key); self.labels.append(value) }
        }

        var renderedLabels: String {
            MetricsRegistry.render(stride(from: 0, to: labels.count, by: 2).map { (labels[$0], labels[$0 + 1]) })
        }
    }

    /// What `recordRequest` counts, keyed without building label arrays: it runs for every
    /// request, and a `Series` per count and per timing was a measurable share of a request.
    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private struct State {
        var counters: [Series: Int64] = [:]
        var histograms: [Series: Histogram] = [:]
        var requests: [RequestKey: Int64] = [:]
        var requestLatency: [String: Histogram] = [:]
        var help: [String: (type: String, text: String)] = [:]
    }

    static let requestsName = "http_requests_total"
    static let latencyName = "http_request_duration_seconds"

    private let state = Mutex(State())

    public init() {}

    public func describe(_ name: String, type: String, help: String) {
        state.withLock { $0.help[name] = (type, help) }
    }

    public func increment(_ name: String, labels: [(String, String)] = [], by amount: Int64 = 1) {
        let series = Series(name, labels)
        state.withLock { $0.counters[series, default: 0] += amount }
    }

    public func observe(_ name: String, labels: [(String, String)] = [], seconds: Double) {
        let series = Series(name, labels)
        // The first bucket that holds the value; the counts are made cumulative when rendered.
        let bucket = Self.latencyBuckets.firstIndex { seconds <= $0 }
        state.withLock { s in
            s.histograms[series, default: Histogram(buckets: Array(repeating: 0, count: Self.latencyBuckets.count))]
                .record(seconds, bucket: bucket)
        }
    }

    /// Counts a request in `http_requests_total{route, method, status}` and times it in
    /// `http_request_duration_seconds{route}`, under one lock.
    public func recordRequest(route: String, method: String, status: Int, seconds: Double) {
        let bucket = Self.latencyBuckets.firstIndex { seconds <= $0 }
        state.withLock { s in
            s.requests[RequestKey(route: route, method: method, status: status), default: 0] += 1
            s.requestLatency[route, default: Histogram(buckets: Array(repeating: 0, count: Self.latencyBuckets.count))]
                .record(seconds, bucket: bucket)
        }
    }

    public func counterValue(_ name: String, labels: [(String, String)] = []) -> Int64 {
        state.withLock { Self.series(in: $0).counters[Series(name, labels)] ?? 0 }
    }

    /// All series, the per-request ones (`recordRequest`) included, for reading out.
    private static func series(in s: State) -> (counters: [Series: Int64], histograms: [Series: Histogram]) {
        var counters = s.counters, histograms = s.histograms
        for (key, count) in s.requests {
            counters[Series(requestsName, [("route", key.route), ("method", key.method), ("status", String(key.status))]),
                     default: 0] += count
        }
        for (route, histogram) in s.requestLatency { histograms[Series(latencyName, [("route", route)])] = histogram }
        return (counters, histograms)
    }

    /// The registry's series plus `extra` lines (gauges computed at scrape time).
    public func render(extra: [String] = []) -> String {
        state.withLock { state in
            let (counters, histograms) = Self.series(in: state)
            var lines: [String] = []
            let countersByName = Dictionary(grouping: counters.keys, by: \.name)
            for name in countersByName.keys.sorted() {
                if let h = state.help[name] { lines += ["# HELP \(name) \(h.text)", "# TYPE \(name) \(h.type)"] }
                for (labels, series) in countersByName[name]!.map({ ($0.renderedLabels, $0) }).sorted(by: { $0.0 < $1.0 }) {
                    lines.append("\(name)\(labels) \(counters[series]!)")
                }
            }
            let histogramsByName = Dictionary(grouping: histograms.keys, by: \.name)
            for name in histogramsByName.keys.sorted() {
                if let h = state.help[name] { lines += ["# HELP \(name) \(h.text)", "# TYPE \(name) histogram"] }
                for (labels, series) in histogramsByName[name]!.map({ ($0.renderedLabels, $0) }).sorted(by: { $0.0 < $1.0 }) {
                    let h = histograms[series]!
                    let inner = labels.isEmpty ? "" : String(labels.dropFirst().dropLast()) + ","
                    var cumulative: Int64 = 0
                    for (i, bound) in Self.latencyBuckets.enumerated() {
                        cumulative += h.buckets[i]
                        lines.append("\(name)_bucket{\(inner)le=\"\(bound)\"} \(cumulative)")
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
        registry.describe(MetricsRegistry.requestsName, type: "counter", help: "HTTP requests by route, method and status.")
        registry.describe(MetricsRegistry.latencyName, type: "histogram", help: "HTTP request latency by route.")
    }

    public func handle(_ request: HTTPRequest, context: Context, next: HTTPNext<Context>) async throws -> HTTPResponse {
        let start = ContinuousClock.now
        let response: HTTPResponse
        do { response = try await next(request, context) } catch { response = HTTPResponse.answering(error) }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        registry.recordRequest(route: context.route, method: request.method, status: response.status, seconds: seconds)
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
