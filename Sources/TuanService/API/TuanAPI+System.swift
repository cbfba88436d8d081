import TuanDomain
import TuanHTTP
import TuanApp

extension TuanAPI {
    func addSystemRoutes(to router: inout Router<TuanContext>) {
        let app = self.app, metrics = self.metrics, counters = self.counters
        router.get("/healthz") { _, _ in
            let version = try await app.schemaVersion().run()
            return .json(200, ["status": "ok", "schema_version": JSONValue(version)])
        }
        router.get("/metrics") { _, _ in
            let extra = app.engine.metricLines()
            return .text(200, metrics.render(extra: extra + counters()), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        let document = OpenAPIDocument.json.bytes
        router.get("/openapi.json") { _, _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: document)
        }
    }
}
