import TuanDomain
import TuanApp

/// The event stream and the storefronts' webhook endpoints, for operators.
enum EventCommands {
    static var all: [CommandSpec] { [list, endpoints] }

    static let list = CommandSpec(
        path: ["event", "list"], summary: "events in commit order, as GET /v1/events gives them (one JSON object a line with --json)",
        options: [.value("after", "SEQ", "only events after this one (default 0)"),
                  .value("types", "LIST", "types or patterns, e.g. pledge.created,refund.*"),
                  .value("campaign", "ID", "only this campaign's"), .value("limit", "N", "at most N (default 100, at most 10000)")]
    ) { args, ctx in
        let after = try args.int("after") ?? 0
        guard after >= 0 else { throw DomainError.invalid("after", "must be a non-negative integer") }
        let types = try args.value("types").map(EventType.matching(list:))
        let limit = Int(try args.int("limit") ?? 100)
        guard (1...10_000).contains(limit) else { throw DomainError.invalid("limit", "must be 1-10000") }
        let page = try ctx.app().events(after: after, types: types, campaignID: try args.int("campaign"), limit: limit).runBlocking()
        let bodies = page.events.compactMap { event in event.body(rows: page.rows).map { (event, $0) } }
        let json = JSONValue.array(bodies.compactMap { try? JSONParser.parse($0.1) })
        let text = bodies.map { event, _ in
            "\(event.seq)\t\(event.occurredAt.rfc3339)\t\(event.type.rawValue)\t" + (event.campaignID.map { "campaign \($0)\t" } ?? "")
                + "\(event.subjectID)"
        }.joined(separator: "\n")
        return CommandOutput(text: text, json: json)
    }

    static let endpoints = CommandSpec(
        path: ["webhook", "list"], summary: "storefronts' webhook endpoints: what each was sent, has queued and dead-lettered"
    ) { _, ctx in
        let all = try ctx.app().webhookEndpoints().runBlocking()
        let text = all.map { status in
            "\(status.endpoint.id)\t\(status.endpoint.disabled ? "disabled" : "enabled")\t\(status.endpoint.url)\tdelivered \(status.endpoint.deliveredCount)"
                + "\tqueued \(status.queued)\tdead \(status.dead)\tunscanned \(status.unscanned)"
        }.joined(separator: "\n")
        return CommandOutput(text: text, json: .array(all.map { $0.json() }))
    }
}
