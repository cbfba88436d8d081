import TuanDomain
import TuanHTTP
import TuanSQLite
import TuanStore

extension TuanAPI {
    func addSystemRoutes(to router: inout Router<TuanContext>) {
        let store = self.store, metrics = self.metrics, counters = self.counters
        router.get("/healthz") { _, _ in
            let version = try await store.read { db in try db.schemaVersion() }
            return .json(200, ["status": "ok", "schema_version": JSONValue(version)])
        }
        router.get("/metrics") { _, _ in
            let writer = store.writerStatistics.snapshot
            var extra = [
                "# HELP tuan_writer_batches_total Write transactions committed by the group-commit writer.",
                "# TYPE tuan_writer_batches_total counter",
                "tuan_writer_batches_total \(writer.batches)",
                "# HELP tuan_writer_replays_total Batches rerun job by job because a job failed after writing.",
                "# TYPE tuan_writer_replays_total counter",
                "tuan_writer_replays_total \(writer.replays)",
                "# HELP tuan_wal_checkpoints_total Checkpoints run by the background checkpointer.",
                "# TYPE tuan_wal_checkpoints_total counter",
                "tuan_wal_checkpoints_total \(store.checkpoints)",
                "# HELP tuan_writer_batch_size Jobs committed per writer transaction.",
                "# TYPE tuan_writer_batch_size histogram",
            ]
            for (i, bound) in WriterStatistics.bucketBounds.enumerated() {
                extra.append("tuan_writer_batch_size_bucket{le=\"\(bound)\"} \(writer.cumulativeBuckets[i])")
            }
            extra += ["tuan_writer_batch_size_bucket{le=\"+Inf\"} \(writer.batches)",
                      "tuan_writer_batch_size_sum \(writer.jobs)", "tuan_writer_batch_size_count \(writer.batches)"]
            return .text(200, metrics.render(extra: extra + counters()), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        let document = OpenAPIDocument.json.bytes
        router.get("/openapi.json") { _, _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: document)
        }
    }
}
