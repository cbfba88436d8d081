import TuanDomain
import TuanApp

extension PurchaseOrderCommands {
    /// What the scheduler does at a supplier's cut-off, run by hand (or by a script replaying a
    /// day with `TUAN_NOW`): every cut-off due sends its day orders.
    static let cutOff = CommandSpec(
        path: ["po", "cut-off"], summary: "send the day orders of every supplier cut-off that is due (what the server's scheduler does)"
    ) { _, ctx in
        let now = ctx.now, app = try ctx.app()
        var orders: [PurchaseOrder] = []
        for due in try app.dueCutOffs(at: now, limit: 10_000).runBlocking() {
            orders += try app.cutOffSupplierOrders(supplierID: due.supplierID, cutOffAt: due.cutOffAt, at: now).runBlocking()
        }
        let text = orders.isEmpty ? "no supplier cut-off is due" : orders.map { order in
            let units = order.lines.map { "\($0.orderQuantity) × \($0.sku)" }.joined(separator: ", ")
            return "\(order.number)\tsupplier \(order.supplierID)\tdelivery \(order.requestedDeliveryAt.rfc3339.prefix(10))\t"
                + "\(order.memberCampaignIDs.count) campaign(s)\(order.subscriptionWeek != nil ? " + subscriptions" : "")\t\(units)"
        }.joined(separator: "\n")
        return CommandOutput(text: text, json: .array(orders.map(\.json)))
    }
}
