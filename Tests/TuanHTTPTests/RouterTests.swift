import Foundation
import Testing
@testable import TuanHTTP

struct RouterTests {
    /// The route index and parameters `table` finds for a request, or nil for 404 and 405.
    private func found(_ table: RouteTable, _ method: String, _ path: String) -> (Int, [String: String])? {
        if case .found(let index, let parameters) = table.match(method: method, path: path) { return (index, parameters) }
        return nil
    }

    @Test func earliestMatchingRouteWinsAndPathsIgnoreEmptySegments() {
        var table = RouteTable()
        let byID = table.add(method: "GET", pattern: "/v1/campaigns/{id}")
        let new = table.add(method: "GET", pattern: "/v1/campaigns/new")
        let post = table.add(method: "POST", pattern: "/v1/campaigns/new")
        let root = table.add(method: "GET", pattern: "/")
        // Registration order decides between a parameter and a literal that both match.
        #expect(found(table, "GET", "/v1/campaigns/new")?.0 == byID)
        #expect(found(table, "GET", "/v1/campaigns/new")?.1 == ["id": "new"])
        #expect(found(table, "POST", "/v1/campaigns/new")?.0 == post)
        #expect(found(table, "HEAD", "//v1//campaigns/7/")?.0 == byID)
        #expect(found(table, "GET", "/v1/campaigns/7")?.1 == ["id": "7"])
        #expect(found(table, "GET", "/")?.0 == root)
        #expect(found(table, "GET", "")?.0 == root)
        #expect(new != byID)
        if case .methodNotAllowed(let methods) = table.match(method: "DELETE", path: "/v1/campaigns/new") {
            #expect(Set(methods) == ["GET", "POST"])
        } else {
            Issue.record("expected 405")
        }
        if case .notFound = table.match(method: "GET", path: "/v1/campaign") {} else { Issue.record("expected 404") }
        if case .notFound = table.match(method: "GET", path: "/v1/campaigns/7/extra") {} else { Issue.record("expected 404") }
    }

    /// Literals after a parameter must match byte for byte, whatever their length; parameters
    /// keep their text as sent (UTF-8 included).
    @Test func literalsAroundParametersMatchExactly() {
        var table = RouteTable()
        let forecast = table.add(method: "GET", pattern: "/v1/campaigns/{id}/forecast")
        let pledges = table.add(method: "POST", pattern: "/v1/campaigns/{id}/pledges")
        let cancel = table.add(method: "POST", pattern: "/v1/pledges/{id}/cancel")
        let line = table.add(method: "GET", pattern: "/v1/orders/{order}/lines/{sku}")
        #expect(found(table, "POST", "/v1/campaigns/12/pledges")?.0 == pledges)
        #expect(found(table, "POST", "/v1/campaigns/12/pledges")?.1 == ["id": "12"])
        #expect(found(table, "GET", "/v1/campaigns/茶/forecast")?.1 == ["id": "茶"])
        #expect(found(table, "GET", "/v1/campaigns/12/forecast")?.0 == forecast)
        #expect(found(table, "POST", "/v1/pledges/9/cancel")?.0 == cancel)
        #expect(found(table, "GET", "/v1/orders/7/lines/tea-1")?.1 == ["order": "7", "sku": "tea-1"])
        #expect(found(table, "GET", "/v1/orders/7/lines/tea-1")?.0 == line)
        // Same length, one byte off; a prefix; a longer segment.
        #expect(found(table, "POST", "/v1/campaigns/12/pledgez") == nil)
        #expect(found(table, "POST", "/v1/campaigns/12/pledge") == nil)
        #expect(found(table, "POST", "/v1/campaignss/12/pledges") == nil)
        if case .methodNotAllowed(let methods) = table.match(method: "GET", path: "/v1/campaigns/12/pledges") {
            #expect(methods == ["POST"])
        } else {
            Issue.record("expected 405")
        }
    }

    @Test func metricsRenderCumulativeBucketsAndEscapedLabels() {
        let registry = MetricsRegistry()
        registry.describe("requests_total", type: "counter", help: "Requests.")
        registry.increment("requests_total", labels: [("route", "/a"), ("status", "200")])
        registry.increment("requests_total", labels: [("route", "/a"), ("status", "200")], by: 2)
        registry.increment("requests_total", labels: [("route", "say \"hi\"\n")])
        registry.observe("latency_seconds", labels: [("route", "/a")], seconds: 0.0007)
        registry.observe("latency_seconds", labels: [("route", "/a")], seconds: 0.003)
        registry.observe("latency_seconds", labels: [("route", "/a")], seconds: 9)
        let text = registry.render()
        #expect(registry.counterValue("requests_total", labels: [("route", "/a"), ("status", "200")]) == 3)
        #expect(text.contains("# TYPE requests_total counter\n"))
        #expect(text.contains("requests_total{route=\"/a\",status=\"200\"} 3\n"))
        #expect(text.contains("requests_total{route=\"say \\\"hi\\\"\\n\"} 1\n"))
        #expect(text.contains("latency_seconds_bucket{route=\"/a\",le=\"0.0005\"} 0\n"))
        #expect(text.contains("latency_seconds_bucket{route=\"/a\",le=\"0.001\"} 1\n"))
        #expect(text.contains("latency_seconds_bucket{route=\"/a\",le=\"0.005\"} 2\n"))
        #expect(text.contains("latency_seconds_bucket{route=\"/a\",le=\"2.5\"} 2\n"))
        #expect(text.contains("latency_seconds_bucket{route=\"/a\",le=\"+Inf\"} 3\n"))
        #expect(text.contains("latency_seconds_count{route=\"/a\"} 3\n"))
    }

    /// Requests recorded on the fast path render as the usual labelled series.
    @Test func recordedRequestsRenderAsLabelledSeries() {
        let registry = MetricsRegistry()
        registry.describe(MetricsRegistry.requestsName, type: "counter", help: "HTTP requests.")
        registry.recordRequest(route: "/v1/x/{id}", method: "POST", status: 201, seconds: 0.002)
        registry.recordRequest(route: "/v1/x/{id}", method: "POST", status: 201, seconds: 0.02)
        registry.recordRequest(route: "/v1/x/{id}", method: "POST", status: 422, seconds: 0.0001)
        let text = registry.render()
        #expect(text.contains("# TYPE http_requests_total counter\n"))
        #expect(text.contains("http_requests_total{route=\"/v1/x/{id}\",method=\"POST\",status=\"201\"} 2\n"))
        #expect(text.contains("http_requests_total{route=\"/v1/x/{id}\",method=\"POST\",status=\"422\"} 1\n"))
        #expect(text.contains("http_request_duration_seconds_bucket{route=\"/v1/x/{id}\",le=\"0.0005\"} 1\n"))
        #expect(text.contains("http_request_duration_seconds_bucket{route=\"/v1/x/{id}\",le=\"0.005\"} 2\n"))
        #expect(text.contains("http_request_duration_seconds_count{route=\"/v1/x/{id}\"} 3\n"))
        #expect(registry.counterValue("http_requests_total", labels: [("route", "/v1/x/{id}"), ("method", "POST"), ("status", "201")]) == 2)
    }
}

/// A middleware that fails with an error the router does not know (as the auth step does when
/// the store is closed or busy).
private struct FailingMiddleware: Middleware {
    struct Unavailable: Error {}
    func handle(_ request: HTTPRequest, context: EchoContext, next: HTTPNext<EchoContext>) async throws -> HTTPResponse {
        if request.path == "/fail" { throw Unavailable() }
        return try await next(request, context)
    }
}

@Suite struct MiddlewareErrorTests {
    /// Errors become responses where they are thrown, so the metrics and access log outside
    /// count and log them. Before, an error from an inner middleware passed the metrics
    /// middleware (which caught only `HTTPError`) and was answered without being counted.
    @Test func everyMiddlewareSeesEveryAnswerIncludingInnerFailures() async {
        let registry = MetricsRegistry()
        let logged = LogLines()
        var router = Router<EchoContext>()
        router.add(AccessLogMiddleware(log: { logged.append($0) }))
        router.add(MetricsMiddleware(registry: registry))
        router.add(FailingMiddleware())
        router.mapErrors { _, _ in .error(503, code: "busy", message: "busy") }
        router.get("/fail") { _, _ in .text(200, "unreachable") }
        router.get("/ok") { _, _ in .text(200, "ok") }
        #expect(await router.respond(to: HTTPRequest(method: "GET", target: "/fail")).status == 503)
        #expect(await router.respond(to: HTTPRequest(method: "GET", target: "/ok")).status == 200)
        #expect(registry.counterValue(MetricsRegistry.requestsName, labels: [("route", "/fail"), ("method", "GET"), ("status", "503")]) == 1)
        #expect(logged.lines.contains { $0.contains("GET /fail 503") })
    }
}

private final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.lock(); stored.append(line); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}
