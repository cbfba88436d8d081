import TuanDomain
import TuanApp

/// Refunds Tuan decided: what is still to be paid out to consumers, and recording that it was.
enum RefundCommands {
    static var all: [CommandSpec] { [list, complete] }

    static let list = CommandSpec(
        path: ["refund", "list"], summary: "refunds, newest first: what the storefront still owes consumers, or has paid out",
        options: [.value("status", "STATUS", "due or completed"), .value("consumer", "ID", "only this consumer's"),
                  .value("limit", "N", "at most N (default 100)")]
    ) { args, ctx in
        let status = try args.value("status").map { text throws(DomainError) -> Refund.Status in
            guard let status = Refund.Status(rawValue: text) else { throw .invalid("status", "must be due or completed") }
            return status
        }
        let limit = Int(try args.int("limit") ?? 100)
        guard (1...10_000).contains(limit) else { throw DomainError.invalid("limit", "must be 1-10000") }
        let refunds = try ctx.app().refunds(status: status, consumerID: args.value("consumer"), limit: limit).runBlocking()
        return CommandOutput(text: refunds.map(describe).joined(separator: "\n"), json: .array(refunds.map(\.json)))
    }

    static let complete = CommandSpec(
        path: ["refund", "complete"], summary: "record that a refund was paid out, with the payment provider's reference",
        positionals: ["id"], options: [.value("ref", "REF", "payment provider's refund reference", required: true)]
    ) { args, ctx in
        let id = try args.positionalID(0, name: "id")
        let refund = try ctx.app().completeRefund(id: id, reference: try args.string("ref"), at: ctx.now).runBlocking()
        return CommandOutput(text: describe(refund), json: refund.json)
    }

    static func describe(_ r: Refund) -> String {
        "\(r.id)\t\(r.status.rawValue)\tpledge \(r.pledgeID)\t\(r.consumerID)\t\(r.amount.currency.code) \(r.amount.decimalString)\t\(r.reason.rawValue)"
            + (r.reference.map { "\t\($0)" } ?? "")
    }
}
