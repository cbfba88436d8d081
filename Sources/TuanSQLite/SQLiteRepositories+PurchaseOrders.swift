import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    /// Saves a new order and its outbox message. Call inside the transaction that decided the
    /// order (a campaign's close), so the order and its delivery exist together or not at all.
    func insertPurchaseOrder(_ order: PurchaseOrder) throws -> PurchaseOrder {
        var saved = order
        saved.id = try connection.insert("""
            INSERT INTO purchase_orders(supplier_id, campaign_id, subscription_week, currency, requested_delivery_at, status, created_at,
                                        cut_off_at, delivery_day)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(order.supplierID), SQLiteValue(order.campaignID), SQLiteValue(order.subscriptionWeek?.seconds),
                  .text(order.currency.code),
                  .integer(order.requestedDeliveryAt.seconds), .text(order.status.rawValue), .integer(order.createdAt.seconds),
                  SQLiteValue(order.cutOffAt?.seconds), SQLiteValue(order.deliveryDay)])
        for (lineNo, line) in order.lines.enumerated() {
            try connection.run("""
                INSERT INTO purchase_order_lines(purchase_order_id, line_no, sku, product_name, confirmed_quantity, order_quantity,
                                                 unit_cost_minor, unit_price_minor, style, from_stock)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(saved.id), .integer(Int64(lineNo)), .text(line.sku), .text(line.productName),
                      .integer(line.confirmedQuantity), .integer(line.orderQuantity), .integer(line.unitCost.minor),
                      .integer(line.unitPrice.minor), SQLiteValue(line.style), .integer(line.fromStock)])
            try insertDestinations(line.destinations, orderID: saved.id, lineNo: lineNo)
        }
        try enqueueDelivery(of: saved)
        return saved
    }

    private func insertDestinations(_ destinations: [AggregatedDemand.Destination], orderID: Int64, lineNo: Int) throws {
        for (seq, destination) in destinations.enumerated() {
            try connection.run("""
                INSERT INTO purchase_order_destinations(purchase_order_id, line_no, seq, pickup_point, leader_code, quantity, pledge_count)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.integer(orderID), .integer(Int64(lineNo)), .integer(Int64(seq)), SQLiteValue(destination.pickupPoint),
                      SQLiteValue(destination.leaderCode), .integer(destination.quantity), .integer(destination.pledgeCount)])
        }
    }

    public func purchaseOrder(id: Int64) throws -> PurchaseOrder? {
        guard var order = try connection.queryOne(Self.orderColumns + " WHERE id = ?", [.integer(id)], Self.order) else { return nil }
        try order.replaceLines(lines(orderID: id, currency: order.currency))
        try withMembers(&order)
        return order
    }

    /// A cycle order's campaigns (an order of one close names its campaign itself), and what
    /// leaders counted at their points.
    private func withMembers(_ order: inout PurchaseOrder) throws {
        order.pointReceipts = try pointReceipts(purchaseOrderID: order.id)
        guard order.cutOffAt != nil else { return }
        order.memberCampaignIDs = try connection.query("""
            SELECT campaign_id FROM order_cycle_members WHERE purchase_order_id = ? AND campaign_id IS NOT NULL ORDER BY campaign_id
            """, [.integer(order.id)]) { $0.int(0) }
    }

    /// The order a campaign's pledges are in: its own, or its supplier-day order.
    public func purchaseOrder(campaignID: Int64) throws -> PurchaseOrder? {
        guard let id = try connection.scalarInt("SELECT id FROM purchase_orders WHERE campaign_id = ?", [.integer(campaignID)])
            ?? connection.scalarInt("SELECT purchase_order_id FROM order_cycle_members WHERE campaign_id = ?", [.integer(campaignID)]) else {
            return nil
        }
        return try purchaseOrder(id: id)
    }

    /// Newest first.
    public func purchaseOrders(_ filter: PurchaseOrderFilter = PurchaseOrderFilter()) throws -> [PurchaseOrder] {
        var sql = Self.orderColumns + " WHERE 1 = 1"
        var values: [SQLiteValue] = []
        if let supplierID = filter.supplierID { sql += " AND supplier_id = ?"; values.append(.integer(supplierID)) }
        if let status = filter.status { sql += " AND status = ?"; values.append(.text(status.rawValue)) }
        if let state = filter.deliveryState {
            sql += " AND id IN (SELECT purchase_order_id FROM outbox WHERE state = ?)"
            values.append(.text(state.rawValue))
        }
        sql += " ORDER BY id DESC LIMIT ?"
        values.append(.integer(Int64(max(1, min(filter.limit, 10_000)))))
        var orders = try connection.query(sql, values, Self.order)
        for index in orders.indices {
            try orders[index].replaceLines(lines(orderID: orders[index].id, currency: orders[index].currency))
            try withMembers(&orders[index])
        }
        return orders
    }

    /// Where each order's delivery stands, keyed by order id (orders without an outbox row are absent).
    public func deliveryStatuses(of orders: [PurchaseOrder]) throws -> [Int64: DeliveryStatus] {
        var statuses: [Int64: DeliveryStatus] = [:]
        for order in orders { statuses[order.id] = try deliveryStatus(purchaseOrderID: order.id) }
        return statuses
    }

    /// Stores a decided answer: the order's status and accepted quantities, the pledges it
    /// cannot fill and the ledger. The order must still be open (checked by the UPDATE itself).
    public func saveAcknowledgement(_ outcome: AcknowledgementOutcome, previous order: PurchaseOrder, at now: Timestamp) throws {
        let id = order.id
        let ack = outcome.order.acknowledgement
        let changed = try connection.run("""
            UPDATE purchase_orders SET status = ?, acknowledged_at = ?, decision = ?, promised_ship_at = ?, reason = ?
            WHERE id = ? AND status = 'open'
            """, [.text(outcome.order.status.rawValue), .integer(now.seconds), SQLiteValue(ack?.decision.rawValue),
                  SQLiteValue(ack?.promisedShipAt?.seconds), SQLiteValue(ack?.reason), .integer(id)])
        guard changed == 1 else { throw RepositoryConflict.changedMeanwhile }
        try saveLines(outcome.order, previous: order, quantity: "accepted_quantity", \.acceptedQuantity)
        try saveAllocation(refunded: outcome.refundedPledges, reduced: outcome.reducedPledges, journal: outcome.journal, at: now)
        try markDeliveriesShort(outcome.shortDeliveries)
    }

    /// Each line's answered or received quantity, and its destinations where the allocation changed them.
    private func saveLines(_ order: PurchaseOrder, previous: PurchaseOrder, quantity column: String,
                           _ quantity: (PurchaseOrder.Line) -> Int64?) throws {
        for (lineNo, line) in order.lines.enumerated() {
            try connection.run("UPDATE purchase_order_lines SET \(column) = ? WHERE purchase_order_id = ? AND line_no = ?",
                               [SQLiteValue(quantity(line)), .integer(order.id), .integer(Int64(lineNo))])
            if line.destinations != previous.lines[lineNo].destinations {
                try connection.run("DELETE FROM purchase_order_destinations WHERE purchase_order_id = ? AND line_no = ?",
                                   [.integer(order.id), .integer(Int64(lineNo))])
                try insertDestinations(line.destinations, orderID: order.id, lineNo: lineNo)
            }
        }
    }

    /// What a short answer or delivery refunded (`PledgeAllocation`): the pledges and the ledger.
    private func saveAllocation(refunded: [Pledge], reduced: [Pledge], journal: [JournalEntry], at now: Timestamp) throws {
        for pledge in refunded + reduced { try savePledgeStatus(pledge) }
        try noteOutcomeChanges(of: refunded + reduced)
        for entry in journal { try post(entry, at: now) }
    }

    public func pointReceipts(purchaseOrderID: Int64) throws -> [PointReceipt] {
        let lines = try connection.query("""
            SELECT leader_id, sku, expected_quantity, received_quantity FROM point_receipt_lines WHERE purchase_order_id = ? ORDER BY leader_id, sku
            """, [.integer(purchaseOrderID)]) { ($0.int(0), PointReceipt.Line(sku: $0.string(1), expected: $0.int(2), received: $0.int(3))) }
        return try connection.query("""
            SELECT leader_id, leader_code, pickup_point, received_at, note FROM point_receipts WHERE purchase_order_id = ? ORDER BY received_at, leader_id
            """, [.integer(purchaseOrderID)]) { row in
            PointReceipt(leaderID: row.int(0), leaderCode: row.string(1), pickupPoint: row.string(2),
                         lines: lines.filter { $0.0 == row.int(0) }.map(\.1), receivedAt: Timestamp(seconds: row.int(3)), note: row.optionalString(4))
        }
    }

    /// Stores a point's receipt decided by `PurchaseOrder.receivingAtPoint`: the receipt (its
    /// key refuses a second one for the order and leader), the destinations it changed, the
    /// refunds, the ledger and the stock. The order must not have been received meanwhile.
    public func savePointReceipt(_ outcome: PointReceiptOutcome, previous order: PurchaseOrder, at now: Timestamp) throws {
        guard try connection.scalarInt("SELECT 1 FROM purchase_orders WHERE id = ? AND received_at IS NULL", [.integer(order.id)]) != nil else {
            throw RepositoryConflict.changedMeanwhile
        }
        let receipt = outcome.receipt
        do {
            try connection.run("""
                INSERT INTO point_receipts(purchase_order_id, leader_id, leader_code, pickup_point, received_at, note) VALUES (?, ?, ?, ?, ?, ?)
                """, [.integer(order.id), .integer(receipt.leaderID), .text(receipt.leaderCode), .text(receipt.pickupPoint),
                      .integer(receipt.receivedAt.seconds), SQLiteValue(receipt.note)])
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw RepositoryConflict.changedMeanwhile
        }
        for line in receipt.lines {
            try connection.run("""
                INSERT INTO point_receipt_lines(purchase_order_id, leader_id, sku, expected_quantity, received_quantity) VALUES (?, ?, ?, ?, ?)
                """, [.integer(order.id), .integer(receipt.leaderID), .text(line.sku), .integer(line.expected), .integer(line.received)])
        }
        for (lineNo, line) in outcome.order.lines.enumerated() where line.destinations != order.lines[lineNo].destinations {
            try connection.run("DELETE FROM purchase_order_destinations WHERE purchase_order_id = ? AND line_no = ?",
                               [.integer(order.id), .integer(Int64(lineNo))])
            try insertDestinations(line.destinations, orderID: order.id, lineNo: lineNo)
        }
        try saveAllocation(refunded: outcome.refundedPledges, reduced: outcome.reducedPledges, journal: outcome.journal, at: now)
        try markDeliveriesShort(outcome.shortDeliveries)
        try addStock(outcome.stock)
    }

    public func saveReceipt(_ outcome: ReceiptOutcome, previous order: PurchaseOrder, at now: Timestamp) throws {
        let id = order.id
        let changed = try connection.run("UPDATE purchase_orders SET received_at = ?, receipt_note = ? WHERE id = ? AND received_at IS NULL",
                                         [.integer(now.seconds), SQLiteValue(outcome.order.receiptNote), .integer(id)])
        guard changed == 1 else { throw RepositoryConflict.changedMeanwhile }
        try saveLines(outcome.order, previous: order, quantity: "received_quantity", \.receivedQuantity)
        try saveAllocation(refunded: outcome.refundedPledges, reduced: outcome.reducedPledges, journal: outcome.journal, at: now)
        try markDeliveriesShort(outcome.shortDeliveries)
        try addStock(outcome.stock)
    }

    /// Units put into stock, the rows made if new.
    func addStock(_ stock: [(sku: String, quantity: Int64)]) throws {
        for (sku, quantity) in stock {
            try connection.run("""
                INSERT INTO stock_levels(sku, quantity) VALUES (?1, ?2) ON CONFLICT(sku) DO UPDATE SET quantity = quantity + ?2
                """, [.text(sku), .integer(quantity)])
        }
    }

    public func stockLevel(sku: String) throws -> Int64 {
        try connection.scalarInt("SELECT quantity FROM stock_levels WHERE sku = ?", [.text(sku)]) ?? 0
    }

    public func stockLevels() throws -> [(sku: String, quantity: Int64)] {
        try connection.query("SELECT sku, quantity FROM stock_levels WHERE quantity > 0 ORDER BY sku") { ($0.string(0), $0.int(1)) }
    }

    /// An order's lines; money is in the order's currency (lines do not store their own).
    private func lines(orderID: Int64, currency: Currency) throws -> [PurchaseOrder.Line] {
        let destinations = try connection.query("""
            SELECT line_no, pickup_point, leader_code, quantity, pledge_count FROM purchase_order_destinations
            WHERE purchase_order_id = ? ORDER BY line_no, seq
            """, [.integer(orderID)]) { row in
            (row.int(0), AggregatedDemand.Destination(pickupPoint: row.optionalString(1), leaderCode: row.optionalString(2),
                                                     quantity: row.int(3), pledgeCount: row.int(4)))
        }
        return try connection.query("""
            SELECT line_no, sku, product_name, confirmed_quantity, order_quantity, unit_cost_minor, unit_price_minor, accepted_quantity, style,
                   received_quantity, from_stock
            FROM purchase_order_lines WHERE purchase_order_id = ? ORDER BY line_no
            """, [.integer(orderID)]) { row in
            let lineNo = row.int(0)
            return try PurchaseOrder.Line(
                sku: row.string(1), productName: row.string(2), confirmedQuantity: row.int(3), orderQuantity: row.int(4),
                unitCost: Money(minor: row.int(5), currency: currency), unitPrice: Money(minor: row.int(6), currency: currency),
                acceptedQuantity: row.optionalInt(7), destinations: destinations.filter { $0.0 == lineNo }.map(\.1),
                style: row.optionalString(8), receivedQuantity: row.optionalInt(9), fromStock: row.int(10))
        }
    }

    static let orderColumns = """
        SELECT id, supplier_id, campaign_id, currency, requested_delivery_at, status, created_at,
               acknowledged_at, decision, promised_ship_at, reason, subscription_week, received_at, receipt_note, cut_off_at, delivery_day
        FROM purchase_orders
        """

    static func order(_ row: Row) throws -> PurchaseOrder {
        var acknowledgement: PurchaseOrderAcknowledgement?
        if let decision = row.optionalString(8).flatMap(PurchaseOrderAcknowledgement.Decision.init(rawValue:)) {
            acknowledgement = PurchaseOrderAcknowledgement(decision: decision, promisedShipAt: row.optionalInt(9).map(Timestamp.init(seconds:)),
                                                          reason: row.optionalString(10))
        }
        var order = try PurchaseOrder(
            id: row.int(0), supplierID: row.int(1), campaignID: row.optionalInt(2), currency: Currency(restoring: row.string(3)),
            lines: [], requestedDeliveryAt: Timestamp(seconds: row.int(4)),
            status: PurchaseOrder.Status(rawValue: row.string(5)) ?? .open, createdAt: Timestamp(seconds: row.int(6)),
            acknowledgement: acknowledgement, acknowledgedAt: row.optionalInt(7).map(Timestamp.init(seconds:)))
        order.subscriptionWeek = row.optionalInt(11).map(Timestamp.init(seconds:))
        order.receivedAt = row.optionalInt(12).map(Timestamp.init(seconds:))
        order.receiptNote = row.optionalString(13)
        order.cutOffAt = row.optionalInt(14).map(Timestamp.init(seconds:))
        order.deliveryDay = row.optionalInt(15)
        return order
    }
}
