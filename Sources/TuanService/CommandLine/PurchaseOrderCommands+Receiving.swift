import TuanDomain
import TuanApp

extension PurchaseOrderCommands {
    static let receive = CommandSpec(
        path: ["po", "receive"], summary: "record what arrived of an answered order: a short delivery refunds, an over-delivery goes to stock",
        positionals: ["id"],
        options: [.value("line", "SKU:QTY", "units of a line that arrived (a line left out arrived as shipped)", repeatable: true),
                  .value("note", "TEXT", "what the receiver noted"),
                  .value("leader", "CODE", "what arrived at this leader's pickup point only (the operator receives the rest later)")]
    ) { args, ctx in
        let id = try args.positionalID(0, name: "id"), now = ctx.now
        let quantities = try lineQuantities(args.all("line"))
        if let code = args.value("leader") {
            let app = try ctx.app()
            guard let leader = try app.snapshotBlocking({ try $0.leader(code: code) }) else {
                throw DomainError(.notFound, field: "leader", "no leader has the code \(code)")
            }
            let point = try app.receivePurchaseOrderAtPoint(id: id, PurchaseOrderReceipt(receivedQuantities: quantities, note: args.value("note")),
                                                            leaderID: leader.id, at: now).runBlocking()
            var text = "\(point.order.number) received at \(point.receipt.pickupPoint): "
                + point.receipt.lines.map { "\($0.received) of \($0.expected) × \($0.sku)" }.joined(separator: ", ")
                + "; refunded \(point.refundedPledges.count) pledges"
            for (sku, quantity) in point.stock { text += "\n\(quantity) × \(sku) beyond the point's share, to stock" }
            return CommandOutput(text: text, json: point.order.json)
        }
        let outcome = try ctx.app().receivePurchaseOrder(id: id, PurchaseOrderReceipt(receivedQuantities: quantities, note: args.value("note")),
                                                         at: now).runBlocking()
        var text = "\(outcome.order.number) received; refunded \(outcome.refundedPledges.count) pledges"
            + (outcome.reducedPledges.isEmpty ? "" : ", and lines of \(outcome.reducedPledges.count) more (the rest of each stands)")
        for (sku, quantity) in outcome.stock { text += "\n\(quantity) × \(sku) beyond the order, to stock" }
        return CommandOutput(text: text, json: outcome.order.json)
    }

    static let stock = CommandSpec(path: ["stock", "list"], summary: "units in stock per SKU (over-deliveries)") { _, ctx in
        let levels = try ctx.app().stockLevels().runBlocking()
        return CommandOutput(text: levels.isEmpty ? "no stock" : levels.map { "\($0.sku)\t\($0.quantity)" }.joined(separator: "\n"),
                             json: .array(levels.map { ["sku": .string($0.sku), "quantity": .int($0.quantity)] }))
    }
}
