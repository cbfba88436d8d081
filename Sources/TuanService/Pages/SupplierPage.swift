import TuanDomain

/// A supplier's orders: lines with their per-destination breakdown, every delivery attempt,
/// and a form to accept, partially accept or reject an order still open.
struct SupplierPage {
    var viewer: PageLayout.Viewer
    var supplier: Supplier
    var orders: [(order: PurchaseOrder, delivery: DeliveryStatus?)]
    var notice: String?
    /// A refused answer: the order it was for and what was wrong.
    var failure: (orderID: Int64, field: String?, message: String)?

    func render() -> String {
        PageLayout.page(title: "Orders for \(supplier.name)", viewer: viewer, main: """
            <h1>Orders for \(HTML.escape(supplier.name))</h1>
            \(notice.map { "<p class=\"notice\" role=\"status\" id=\"notice\">\(HTML.escape($0))</p>" } ?? "")
            \(orders.isEmpty ? "<p>No purchase orders yet.</p>" : orders.map(card).joined())
            """)
    }

    private func card(_ item: (order: PurchaseOrder, delivery: DeliveryStatus?)) -> String {
        let o = item.order
        var text = "<section class=\"card\" aria-labelledby=\"o\(o.id)\" id=\"order-\(o.id)\"><h2 id=\"o\(o.id)\">\(o.number) "
            + "<span class=\"badge\">\(HTML.escape(o.status.rawValue))</span></h2>"
        text += "<p>Created \(HTML.time(o.createdAt)); delivery requested by \(HTML.time(o.requestedDeliveryAt)); total \(HTML.money(o.totalCost)).</p>"
        text += "<table><thead><tr><th scope=\"col\">SKU</th><th scope=\"col\">Product</th><th scope=\"col\" class=\"num\">Ordered</th>"
            + "<th scope=\"col\" class=\"num\">Confirmed</th><th scope=\"col\">Destinations</th><th scope=\"col\" class=\"num\">Accepted</th></tr></thead><tbody>"
        for line in o.lines {
            let destinations = line.destinations.map { d in
                HTML.escape(d.pickupPoint ?? "direct") + (d.leaderCode.map { " (" + HTML.escape($0) + ")" } ?? "") + ": \(d.quantity)"
            }.joined(separator: "<br>")
            text += "<tr><td>\(HTML.escape(line.sku))</td><td>\(HTML.escape(line.productName))</td><td class=\"num\">\(line.orderQuantity)</td>"
                + "<td class=\"num\">\(line.confirmedQuantity)</td><td>\(destinations)</td><td class=\"num\">\(line.acceptedQuantity.map(String.init) ?? "–")</td></tr>"
        }
        text += "</tbody></table>"
        text += attempts(item.delivery)
        if let ack = o.acknowledgement {
            text += "<p>Answered \(HTML.escape(ack.decision.rawValue))"
                + (ack.promisedShipAt.map { ", shipping by \(HTML.time($0))" } ?? "") + (ack.reason.map { ": " + HTML.escape($0) } ?? "") + ".</p>"
        } else if o.status == .open {
            text += form(o)
        }
        return text + "</section>"
    }

    private func attempts(_ delivery: DeliveryStatus?) -> String {
        guard let delivery else { return "" }
        var text = "<h3>Delivery: \(HTML.escape(delivery.state.rawValue))</h3>"
        guard !delivery.attempts.isEmpty else { return text + "<p>No attempt yet.</p>" }
        text += "<table><thead><tr><th scope=\"col\">#</th><th scope=\"col\">When</th><th scope=\"col\">Answer</th><th scope=\"col\" class=\"num\">ms</th><th scope=\"col\">Outcome</th></tr></thead><tbody>"
        for a in delivery.attempts {
            text += "<tr><td>\(a.attempt)</td><td>\(HTML.time(a.startedAt))</td><td>\(a.statusCode.map(String.init) ?? HTML.escape(a.error ?? "–"))</td>"
                + "<td class=\"num\">\(a.latencyMilliseconds)</td><td>\(HTML.escape(a.outcome.rawValue))</td></tr>"
        }
        return text + "</tbody></table>"
    }

    private func form(_ o: PurchaseOrder) -> String {
        let failed = failure?.orderID == o.id ? failure : nil
        func error(_ field: String) -> String {
            guard let failed, failed.field == field || (field == "decision" && failed.field == nil) else { return "" }
            return "<p class=\"field-error\" id=\"\(field)-\(o.id)-error\">\(HTML.escape(failed.message))</p>"
        }
        var text = "<form method=\"post\" action=\"/supplier/orders/\(o.id)/acknowledge\" class=\"stack\">"
        text += "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(viewer.csrf))\">"
        text += "<label for=\"decision-\(o.id)\">Your answer</label><select id=\"decision-\(o.id)\" name=\"decision\">"
            + "<option value=\"accepted\">Accept the whole order</option><option value=\"partially_accepted\">Accept part of it</option>"
            + "<option value=\"rejected\">Reject</option></select>" + error("decision")
        for (index, line) in o.lines.enumerated() {
            text += "<label for=\"q-\(o.id)-\(index)\">Units of \(HTML.escape(line.sku)) you can make <span class=\"hint\">(partial answers only)</span></label>"
                + "<input id=\"q-\(o.id)-\(index)\" name=\"accepted_\(HTML.escape(line.sku))\" type=\"number\" min=\"0\" max=\"\(line.orderQuantity)\" inputmode=\"numeric\">"
        }
        text += error("lines")
        text += "<label for=\"ship-\(o.id)\">Ship by <span class=\"hint\">(needed unless you reject)</span></label>"
            + "<input id=\"ship-\(o.id)\" name=\"promised_ship_date\" type=\"date\">" + error("promised_ship_date")
        text += "<label for=\"reason-\(o.id)\">Reason <span class=\"hint\">(needed for partial answers and rejections)</span></label>"
            + "<input id=\"reason-\(o.id)\" name=\"reason\" type=\"text\" maxlength=\"500\">" + error("reason")
        return text + "<button type=\"submit\">Send answer</button></form>"
    }
}
