import Foundation
import TuanDomain
import TuanApp

enum PurchaseOrderCommands {
    static var all: [CommandSpec] { [list, show, redeliver, acknowledge, receive, stock, cutOff] }

    static let list = CommandSpec(
        path: ["po", "list"], summary: "list group purchase orders, newest first",
        options: [.value("supplier", "ID", "only this supplier's orders"),
                  .value("status", "STATUS", "open, accepted, partially_accepted or rejected"),
                  .value("delivery", "STATE", "pending, delivered, dead or held (dead = dead letters)"),
                  .flag("csv", "print CSV, one row per line and destination")]
    ) { args, ctx in
        var filter = PurchaseOrderFilter(supplierID: try args.int("supplier"))
        filter.status = try args.value("status").map { text throws(DomainError) in try PurchaseOrder.Status.parse(text, field: "status") }
        filter.deliveryState = try args.value("delivery").map { text throws(DomainError) in try DeliveryState.parse(text, field: "delivery") }
        let query = filter
        let (orders, deliveries) = try ctx.app().snapshotBlocking { db in
            let orders = try db.purchaseOrders(query)
            return (orders, try db.deliveryStatuses(of: orders))
        }
        if args.flag("csv") {
            return .csv(PurchaseOrder.csv(orders, deliveries: deliveries))
        }
        let text = orders.isEmpty ? "no purchase orders" : orders.map { order in
            let line = order.lines.first
            return "\(order.id)\t\(order.number)\tsupplier \(order.supplierID)\t\(order.status.rawValue)\t"
                + "delivery \(deliveries[order.id]?.state.rawValue ?? "-")\t\(line.map { "\($0.orderQuantity) × \($0.sku)" } ?? "")\t\(order.totalCost)"
        }.joined(separator: "\n")
        return CommandOutput(text: text, json: .array(orders.map { $0.json(delivery: deliveries[$0.id]) }))
    }

    static let show = CommandSpec(path: ["po", "show"], summary: "show one purchase order with its delivery attempts",
                                  positionals: ["id"], options: [.flag("csv", "print CSV")]) { args, ctx in
        let id = try args.positionalID(0, name: "id")
        let (order, delivery) = try ctx.app().snapshotBlocking { db in
            (try db.requirePurchaseOrder(id: id), try db.deliveryStatus(purchaseOrderID: id))
        }
        if args.flag("csv") {
            return .csv(PurchaseOrder.csv([order], deliveries: delivery.map { [id: $0] } ?? [:]))
        }
        return CommandOutput(text: describe(order, delivery), json: order.json(delivery: delivery))
    }

    static let redeliver = CommandSpec(
        path: ["po", "redeliver"], summary: "send an order again from a fresh retry schedule (a running server picks it up)",
        positionals: ["id"]
    ) { args, ctx in
        let id = try args.positionalID(0, name: "id"), now = ctx.now
        let delivery = try ctx.app().redeliver(purchaseOrderID: id, at: now).runBlocking()
        let (order, _) = try ctx.app().purchaseOrder(id: id).runBlocking()
        return CommandOutput(text: "\(order.number) queued for delivery again (webhook id \(delivery.webhookID))",
                             json: order.json(delivery: delivery))
    }

    static let acknowledge = CommandSpec(
        path: ["po", "ack"], summary: "record a supplier's answer: accepted, partially_accepted or rejected",
        positionals: ["id"],
        options: [.value("decision", "DECISION", "accepted, partially_accepted or rejected", required: true),
                  .value("line", "SKU:QTY", "accepted quantity of a line (partially_accepted)", repeatable: true),
                  .value("ship-date", "DATE", "promised ship date, 2026-12-01 or RFC 3339"),
                  .value("reason", "TEXT", "why (required unless accepted)")]
    ) { args, ctx in
        let id = try args.positionalID(0, name: "id"), now = ctx.now
        guard let decision = PurchaseOrderAcknowledgement.Decision(rawValue: try args.string("decision")) else {
            throw DomainError.invalid("decision", "must be accepted, partially_accepted or rejected")
        }
        let quantities = try lineQuantities(args.all("line"))
        let shipDate = try args.value("ship-date").map { text throws(DomainError) in try Timestamp.parseDate(text, field: "ship-date") }
        let answer = PurchaseOrderAcknowledgement(decision: decision, acceptedQuantities: quantities, promisedShipAt: shipDate,
                                                  reason: args.value("reason"))
        let (outcome, _) = try ctx.app().acknowledgePurchaseOrder(id: id, answer, by: nil, at: now).runBlocking()
        return CommandOutput(text: "\(outcome.order.number) \(outcome.order.status.rawValue); refunded \(outcome.refundedPledges.count) pledges"
                                 + (outcome.reducedPledges.isEmpty ? "" : ", and lines of \(outcome.reducedPledges.count) more (the rest of each stands)"),
                             json: outcome.order.json)
    }

    static func describe(_ order: PurchaseOrder, _ delivery: DeliveryStatus?) -> String {
        var lines = ["\(order.number) (id \(order.id)) supplier \(order.supplierID)\(order.campaignID.map { ", campaign \($0)" } ?? "")",
                     "status \(order.status.rawValue), total cost \(order.totalCost), deliver by \(order.requestedDeliveryAt)"]
        for line in order.lines {
            lines.append("  \(line.sku) \(line.productName): order \(line.orderQuantity) (confirmed \(line.confirmedQuantity), "
                         + "rounding surplus \(line.roundingSurplus))" + (line.acceptedQuantity.map { ", accepted \($0)" } ?? "")
                         + (line.receivedQuantity.map { ", received \($0)" } ?? "")
                         + ": \(line.deliveredQuantity) @ \(line.unitCost) = \(line.cost)")
            for d in line.destinations {
                lines.append("    \(d.pickupPoint ?? "(no pickup point)") / \(d.leaderCode ?? "(no leader)"): \(d.quantity) from \(d.pledgeCount) pledges")
            }
        }
        for total in order.styleTotals {
            lines.append("  style \(total.style): order \(total.ordered) (confirmed \(total.confirmed))"
                         + (order.acknowledgement == nil ? "" : ", shipping \(total.shipping)"))
        }
        if let delivery {
            lines.append("delivery \(delivery.state.rawValue), \(delivery.attemptCount) attempts, webhook id \(delivery.webhookID)"
                         + (delivery.lastError.map { ", last error: \($0)" } ?? ""))
            for a in delivery.attempts {
                lines.append("  #\(a.attempt) \(a.startedAt) \(a.statusCode.map { "HTTP \($0)" } ?? "no answer") \(a.latencyMilliseconds) ms \(a.outcome.rawValue)"
                             + (a.error.map { " (\($0))" } ?? ""))
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension PurchaseOrderCommands {
    /// `--line SKU:QUANTITY` options of an answer or a receipt, each SKU once.
    static func lineQuantities(_ texts: [String]) throws(DomainError) -> [String: Int64] {
        var quantities: [String: Int64] = [:]
        for text in texts {
            let parts = text.split(separator: ":")
            guard parts.count == 2, let quantity = Int64(parts[1]) else { throw DomainError.invalid("line", "must be SKU:QUANTITY") }
            guard quantities[String(parts[0])] == nil else { throw DomainError.invalid("line", "\(parts[0]) appears twice") }
            quantities[String(parts[0])] = quantity
        }
        return quantities
    }
}
