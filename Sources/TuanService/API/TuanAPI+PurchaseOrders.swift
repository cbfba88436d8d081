import TuanDomain
import TuanHTTP
import TuanApp

extension TuanAPI {
    func addPurchaseOrderRoutes(to router: inout Router<TuanContext>) {
        let app = self.app, clock = self.clock

        let list: Router<TuanContext>.Handler = { request, context in
            let principal = try context.require(Permission.readPurchaseOrders)
            var filter = PurchaseOrderFilter(limit: try Self.limit(request.query["limit"], default: 500, maximum: 10_000))
            // A supplier sees its own orders only, whatever it asks for.
            filter.supplierID = principal.role == .supplier ? principal.supplierID : try request.query["supplier_id"].map(Self.integer("supplier_id"))
            filter.status = try request.query["status"].map { try PurchaseOrder.Status.parse($0, field: "status") }
            filter.deliveryState = try request.query["delivery"].map { try DeliveryState.parse($0, field: "delivery") }
            let query = filter
            let (orders, deliveries) = try await app.snapshot { db in
                let orders = try db.purchaseOrders(query)
                return (orders, try db.deliveryStatuses(of: orders))
            }
            if context.route.hasSuffix(".csv") || Self.wantsCSV(request) {
                return .csv(PurchaseOrder.csv(orders, deliveries: deliveries), filename: "purchase-orders.csv")
            }
            return .json(200, ["purchase_orders": .array(orders.map { $0.json(delivery: deliveries[$0.id]) })])
        }
        router.get("/v1/purchase-orders", list)
        router.get("/v1/purchase-orders.csv", list)

        router.get("/v1/purchase-orders/{id}") { request, context in
            let principal = try context.require(Permission.readPurchaseOrders)
            let (id, csvSuffix) = try Self.orderID(context)
            let (order, delivery) = try await app.snapshot { db in
                let order = try db.requirePurchaseOrder(id: id)
                return (order, try db.deliveryStatus(purchaseOrderID: id))
            }
            try order.checkAccess(by: principal)
            if csvSuffix || Self.wantsCSV(request) {
                return .csv(PurchaseOrder.csv([order], deliveries: delivery.map { [order.id: $0] } ?? [:]), filename: "\(order.number).csv")
            }
            return .json(200, order.json(delivery: delivery))
        }

        router.post("/v1/purchase-orders/{id}/redeliver") { _, context in
            _ = try context.require(Permission.redeliverPurchaseOrder)
            let id = try context.id(), now = clock()
            let delivery = try await app.redeliver(purchaseOrderID: id, at: now).run()
            let (order, _) = try await app.purchaseOrder(id: id).run()
            return .json(202, order.json(delivery: delivery))
        }

        router.post("/v1/purchase-orders/{id}/receipts") { request, context in
            let principal = try context.require(Permission.receivePurchaseOrder)
            let id = try context.id()
            let body = try request.jsonObject(allowed: ["lines", "note"])
            let quantities = try Self.lineQuantities(body, field: "received_quantity")
            let receipt = PurchaseOrderReceipt(receivedQuantities: quantities, note: try body.optionalString("note"))
            // A leader counts its own pickup point; the operator receives the rest of the order.
            if principal.role == .leader, let leaderID = principal.leaderID {
                let point = try await app.receivePurchaseOrderAtPoint(id: id, receipt, leaderID: leaderID, at: clock()).run()
                return .json(201, [
                    "purchase_order_id": .int(id), "number": .string(point.order.number), "leader_id": .int(leaderID),
                    "pickup_point": .string(point.receipt.pickupPoint), "received_at": .string(point.receipt.receivedAt.rfc3339),
                    "lines": .array(point.receipt.lines.map { ["sku": .string($0.sku), "expected_quantity": .int($0.expected),
                                                                "received_quantity": .int($0.received)] }),
                    "refunded_pledges": .array(point.refundedPledges.map { .int($0.id) }),
                    "reduced_pledges": .array(point.reducedPledges.map { .int($0.id) }),
                    "to_stock": .array(point.stock.map { ["sku": .string($0.sku), "quantity": .int($0.quantity)] }),
                ])
            }
            let outcome = try await app.receivePurchaseOrder(id: id, receipt, at: clock()).run()
            guard case .object(var fields) = outcome.order.json else { return .json(201, outcome.order.json) }
            fields.append(.init("refunded_pledges", .array(outcome.refundedPledges.map { .int($0.id) })))
            fields.append(.init("reduced_pledges", .array(outcome.reducedPledges.map { .int($0.id) })))
            fields.append(.init("to_stock", .array(outcome.stock.map { ["sku": .string($0.sku), "quantity": .int($0.quantity)] })))
            return .json(201, .object(fields))
        }
        router.get("/v1/stock") { _, context in
            _ = try context.require(Permission.readStock)
            let levels = try await app.stockLevels().run()
            return .json(200, ["stock": .array(levels.map { ["sku": .string($0.sku), "quantity": .int($0.quantity)] })])
        }

        router.post("/v1/purchase-orders/{id}/acknowledgement") { request, context in
            let principal = try context.require(Permission.answerPurchaseOrder)
            let id = try context.id()
            let body = try request.jsonObject(allowed: ["decision", "lines", "promised_ship_date", "reason"])
            let decisionText = try body.string("decision")
            guard let decision = PurchaseOrderAcknowledgement.Decision(rawValue: decisionText) else {
                throw DomainError.invalid("decision", "must be accepted, partially_accepted or rejected")
            }
            let quantities = try Self.lineQuantities(body, field: "accepted_quantity")
            let promised = try body.optionalString("promised_ship_date").map { try Timestamp.parseDate($0, field: "promised_ship_date") }
            let answer = PurchaseOrderAcknowledgement(decision: decision, acceptedQuantities: quantities, promisedShipAt: promised,
                                                      reason: try body.optionalString("reason"))
            let now = clock()
            let (outcome, delivery) = try await app.acknowledgePurchaseOrder(id: id, answer, by: principal, at: now).run()
            guard case .object(var fields) = outcome.order.json(delivery: delivery) else { return .json(200, outcome.order.json) }
            fields.append(.init("refunded_pledges", .array(outcome.refundedPledges.map { .int($0.id) })))
            return .json(200, .object(fields))
        }
    }

    static func orderID(_ context: TuanContext) throws -> (Int64, csv: Bool) {
        try idWithCSVSuffix(context, noun: "purchase order")
    }

    /// `{id}` or `{id}.csv`: the suffix asks for CSV like `Accept: text/csv` does.
    static func idWithCSVSuffix(_ context: TuanContext, noun: String = "campaign") throws -> (Int64, csv: Bool) {
        let (raw, csv) = parameterWithCSVSuffix(context, "id")
        guard let id = Int64(raw), id > 0 else { throw HTTPError(404, code: "not_found", "no \(noun) \(raw)") }
        return (id, csv)
    }

    /// A path parameter with any `.csv` suffix split off.
    static func parameterWithCSVSuffix(_ context: TuanContext, _ name: String) -> (String, csv: Bool) {
        var raw = context.parameters[name] ?? ""
        let csv = raw.hasSuffix(".csv")
        if csv { raw.removeLast(4) }
        return (raw, csv)
    }

    static func wantsCSV(_ request: HTTPRequest) -> Bool {
        guard let accept = request.headers["Accept"]?.lowercased() else { return false }
        return accept.contains("text/csv") && !accept.contains("application/json")
    }

    /// A list's `?limit=`: `defaultLimit` when absent, 1 to `maximum` otherwise (422 beyond).
    static func limit(_ text: String?, default defaultLimit: Int, maximum: Int) throws(DomainError) -> Int {
        guard let text else { return defaultLimit }
        guard let value = Int(text), (1...maximum).contains(value) else { throw .invalid("limit", "must be 1-\(maximum)") }
        return value
    }

    /// The `Idempotency-Key` a retry-safe write must carry: 1 to 255 bytes, else 400.
    static func idempotencyKey(_ request: HTTPRequest) throws -> String {
        guard let key = request.headers["Idempotency-Key"], !key.isEmpty, key.utf8.count <= 255 else {
            throw HTTPError(400, code: "idempotency_key_required", "send an Idempotency-Key header (1-255 characters) so that retries are safe")
        }
        return key
    }

    static func integer(_ field: String) -> (String) throws -> Int64 {
        { text in
            guard let value = Int64(text) else { throw DomainError.invalid(field, "must be an integer") }
            return value
        }
    }
}

extension HTTPResponse {
    static func csv(_ text: String, filename: String) -> HTTPResponse {
        HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/csv; charset=utf-8"),
                                                        ("Content-Disposition", "attachment; filename=\"\(filename)\""),
                                                        ("Cache-Control", "no-store")]), body: Array(text.utf8))
    }
}

extension TuanAPI {
    /// An answer's or a receipt's `lines`: `[{"sku", field}]`, each SKU once, as SKU → quantity.
    static func lineQuantities(_ body: JSONObjectReader, field: String) throws(DomainError) -> [String: Int64] {
        var quantities: [String: Int64] = [:]
        for (index, value) in (try body.optionalArray("lines") ?? []).enumerated() {
            let line = try JSONObjectReader(value, allowed: ["sku", field], prefix: "lines[\(index)].")
            let sku = try line.string("sku")
            guard quantities[sku] == nil else { throw DomainError.invalid("lines[\(index)].sku", "\(sku) appears twice") }
            quantities[sku] = try line.int(field)
        }
        return quantities
    }
}
