import Foundation
import TuanDomain
import TuanHTTP

enum InboxCommands {
    static var all: [CommandSpec] { [supplierInbox] }

    static let supplierInbox = CommandSpec(
        path: ["supplier-inbox"],
        summary: "receive pushed purchase orders as a supplier: verify signatures, dedupe, write each order once to a directory",
        options: [.value("port", "N", "port; 0 picks a free one (default 9090)"),
                  .value("host", "ADDR", "address to bind (default 127.0.0.1)"),
                  .value("secret", "whsec_…", "the webhook secret Tuan gave this supplier", required: true),
                  .value("out", "DIR", "directory for received orders, one <webhook-id>.json each", required: true),
                  .value("tolerance", "SECONDS", "largest accepted clock difference for webhook-timestamp (default 300)"),
                  .value("fail-first", "LIST", "misbehave on the first deliveries, e.g. 500,timeout,drop,429 (for tests and drills)"),
                  .value("stall", "SECONDS", "how long a 'timeout' fault stalls (default 35)")]
    ) { args, ctx in
        let configuration = try ServerCommands.listenConfiguration(args, defaultPort: 9090)
        let faults = try (args.value("fail-first")?.split(separator: ",") ?? []).map { text throws(DomainError) -> SupplierInbox.Fault in
            guard let fault = SupplierInbox.Fault(String(text)) else {
                throw .invalid("fail-first", "'\(text)' is not a status code, timeout or drop")
            }
            return fault
        }
        let log: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        let inbox = try SupplierInbox(secret: try args.string("secret"), directory: try args.string("out"), faults: faults,
                                      timeoutDelay: .seconds(try args.int("stall") ?? 35),
                                      tolerance: try args.int("tolerance") ?? 300, log: log)
        let server = try HTTPServer(configuration: configuration, responder: inbox)
        let port = try server.start()
        ctx.standardOutput("listening on http://\(configuration.host):\(port)")
        ServerCommands.waitForTerminationSignal()
        server.shutdown()
        let c = inbox.counts
        log("stopped: \(c.stored) stored, \(c.duplicates) duplicates, \(c.refused) refused, \(c.faults) faults played")
        return nil
    }
}
