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
    var l: Localizer

    func render() -> String {
        PageLayout.page(title: l.t("supplier.title", ["name": supplier.name]), l, path: "/supplier", viewer: viewer, main: """
            <h1>\(l.t("supplier.heading", ["name": HTML.data(supplier.name)]))</h1>
            \(notice.map { "<p class=\"notice\" role=\"status\" id=\"notice\">\(HTML.escape($0))</p>" } ?? "")
            \(orders.isEmpty ? "<p>\(l.t("orders.none"))</p>" : orders.map(card).joined())
            """)
    }

    private func card(_ item: (order: PurchaseOrder, delivery: DeliveryStatus?)) -> String {
        let o = item.order
        var text = "<section class=\"card\" aria-labelledby=\"o\(o.id)\" id=\"order-\(o.id)\"><h2 id=\"o\(o.id)\">\(HTML.data(o.number)) "
            + "<span class=\"badge\">\(l.t("po_status." + o.status.rawValue))</span></h2>"
        text += "<p>\(l.t("supplier.summary", ["created": l.time(o.createdAt), "due": l.time(o.requestedDeliveryAt), "total": l.money(o.totalCost)]))</p>"
        text += "<table><thead><tr><th scope=\"col\">\(l.t("planner.col_sku"))</th><th scope=\"col\">\(l.t("supplier.col_product"))</th><th scope=\"col\" class=\"num\">\(l.t("supplier.col_ordered"))</th>"
            + "<th scope=\"col\" class=\"num\">\(l.t("supplier.col_confirmed"))</th><th scope=\"col\">\(l.t("supplier.col_destinations"))</th><th scope=\"col\" class=\"num\">\(l.t("supplier.col_accepted"))</th></tr></thead><tbody>"
        for line in o.lines {
            let destinations = line.destinations.map { d in
                (d.pickupPoint.map(HTML.data) ?? l.t("supplier.direct")) + (d.leaderCode.map { " (" + HTML.data($0) + ")" } ?? "") + ": \(l.number(d.quantity))"
            }.joined(separator: "<br>")
            text += "<tr><td>\(HTML.data(line.sku))</td><td>\(HTML.data(line.productName))</td><td class=\"num\">\(l.number(line.orderQuantity))</td>"
                + "<td class=\"num\">\(l.number(line.confirmedQuantity))</td><td>\(destinations)</td><td class=\"num\">\(line.acceptedQuantity.map(l.number) ?? "–")</td></tr>"
        }
        text += "</tbody>"
        // A style's sizes and colours are cut as one run: its total, beside the SKUs.
        let totals = o.styleTotals
        if !totals.isEmpty {
            text += "<tfoot>" + totals.map { total in
                "<tr class=\"style-total\"><th scope=\"row\" colspan=\"2\">\(l.t("supplier.style_total", ["style": HTML.data(total.style)]))</th>"
                    + "<td class=\"num\">\(l.number(total.ordered))</td><td class=\"num\">\(l.number(total.confirmed))</td><td></td>"
                    + "<td class=\"num\">\(o.acknowledgement == nil ? "–" : l.number(total.shipping))</td></tr>"
            }.joined() + "</tfoot>"
        }
        text += "</table>"
        text += attempts(item.delivery)
        if let ack = o.acknowledgement {
            text += "<p>" + l.t("supplier.answered", ["decision": l.t("decision." + ack.decision.rawValue)])
                + (ack.promisedShipAt.map { l.t("supplier.shipping_by", ["at": l.time($0)]) } ?? "") + (ack.reason.map { l.t("supplier.reason_sep") + HTML.data($0) } ?? "") + l.t("supplier.period") + "</p>"
        } else if o.status == .open {
            text += form(o)
        }
        return text + "</section>"
    }

    private func attempts(_ delivery: DeliveryStatus?) -> String {
        guard let delivery else { return "" }
        var text = "<h3>\(l.t("supplier.delivery", ["state": l.t("delivery." + delivery.state.rawValue)]))</h3>"
        guard !delivery.attempts.isEmpty else { return text + "<p>\(l.t("supplier.no_attempt"))</p>" }
        text += "<table><thead><tr><th scope=\"col\">#</th><th scope=\"col\">\(l.t("supplier.col_when"))</th><th scope=\"col\">\(l.t("supplier.col_response"))</th><th scope=\"col\" class=\"num\">\(l.t("supplier.col_ms"))</th><th scope=\"col\">\(l.t("supplier.col_outcome"))</th></tr></thead><tbody>"
        for a in delivery.attempts {
            text += "<tr><td>\(a.attempt)</td><td>\(l.time(a.startedAt))</td><td>\(a.statusCode.map(String.init) ?? (a.error.map(HTML.data) ?? "–"))</td>"
                + "<td class=\"num\">\(a.latencyMilliseconds)</td><td>\(l.t("attempt." + a.outcome.rawValue))</td></tr>"
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
        text += "<label for=\"decision-\(o.id)\">\(l.t("supplier.your_answer"))</label><select id=\"decision-\(o.id)\" name=\"decision\">"
            + "<option value=\"accepted\">\(l.t("supplier.accept_all"))</option><option value=\"partially_accepted\">\(l.t("supplier.accept_part"))</option>"
            + "<option value=\"rejected\">\(l.t("supplier.reject"))</option></select>" + error("decision")
        for (index, line) in o.lines.enumerated() {
            text += "<label for=\"q-\(o.id)-\(index)\">\(l.t("supplier.units_of", ["sku": HTML.data(line.sku)])) <span class=\"hint\">\(l.t("supplier.partial_only"))</span></label>"
                + "<input id=\"q-\(o.id)-\(index)\" name=\"accepted_\(HTML.escape(line.sku))\" type=\"number\" min=\"0\" max=\"\(line.orderQuantity)\" inputmode=\"numeric\">"
        }
        text += error("lines")
        text += "<label for=\"ship-\(o.id)\">\(l.t("supplier.ship_by")) <span class=\"hint\">\(l.t("supplier.ship_hint"))</span></label>"
            + "<input id=\"ship-\(o.id)\" name=\"promised_ship_date\" type=\"date\">" + error("promised_ship_date")
        text += "<label for=\"reason-\(o.id)\">\(l.t("supplier.reason")) <span class=\"hint\">\(l.t("supplier.reason_hint"))</span></label>"
            + "<input id=\"reason-\(o.id)\" name=\"reason\" type=\"text\" maxlength=\"500\">" + error("reason")
        return text + "<button type=\"submit\">\(l.t("supplier.send"))</button></form>"
    }
}
