extension Campaign {
    /// Whether it sells stored items (several, or one chosen by SKU) rather than its one implicit item.
    public var sellsItems: Bool { !items.isEmpty }

    public func itemIndex(sku: String) -> Int? { items.firstIndex { $0.sku == sku } }

    /// The styles among its items, in the order the items first name them.
    public var styles: [String] {
        var seen: [String] = []
        for item in items { if let style = item.style, !seen.contains(style) { seen.append(style) } }
        return seen
    }

    /// Units pledged to the items of `style`.
    public func pledgedQuantity(style: String) -> Int64 {
        items.reduce(0) { $1.style == style ? $0 + $1.pledgedQuantity : $0 }
    }

    /// True without a style minimum; else every style holds at least that many units.
    public var meetsStyleMinimum: Bool {
        guard let styleMinimum else { return true }
        return styles.allSatisfy { pledgedQuantity(style: $0) >= styleMinimum }
    }

    /// The request's lines checked against the items, and the campaign with them counted:
    /// each SKU one of its items, each item within its cap, then the whole pledge as
    /// `accepting(quantity:at:)` checks it. A campaign of one implicit item takes `quantity`,
    /// or one line of its own SKU; a campaign whose one stored item is obvious takes
    /// `quantity` for it. The caller holds the write lock, as for `accepting(quantity:at:)`.
    public func accepting(_ request: PledgeRequest, at now: Timestamp) throws(DomainError) -> (Campaign, [PledgeLine]) {
        guard sellsItems else {
            for (index, line) in request.lines.enumerated() where line.sku != sku {
                throw DomainError(.invalidField, field: "lines[\(index)].sku", "campaign \(id) sells only \(sku)")
            }
            return (try accepting(quantity: request.quantity, at: now), [])
        }
        var asked = request.lines
        if asked.isEmpty {
            guard items.count == 1 else {
                throw .invalid("lines", "campaign \(id) sells \(items.count) items: choose them in lines (sku, quantity)")
            }
            asked = [PledgeLine.Request(sku: items[0].sku, quantity: request.quantity)]
        }
        var next = try accepting(quantity: request.quantity, at: now)
        var lines: [PledgeLine] = []
        lines.reserveCapacity(asked.count)
        for (index, line) in asked.enumerated() {
            guard let position = itemIndex(sku: line.sku) else {
                throw DomainError(.invalidField, field: "lines[\(index)].sku", "campaign \(id) does not sell \(line.sku)")
            }
            let item = items[position]
            let total = item.pledgedQuantity + line.quantity
            if let cap = item.cap, total > cap {
                let left = max(0, cap - item.pledgedQuantity)
                throw DomainError(.soldOut, field: "lines[\(index)].quantity", left == 0
                    ? "\(item.sku) is sold out in campaign \(id)"
                    : "only \(left) units of \(item.sku) are left in campaign \(id)")
            }
            next.items[position].pledgedQuantity = total
            lines.append(PledgeLine(sku: item.sku, quantity: line.quantity, priceDeltaMinor: item.priceDelta.minor))
        }
        next.updateTipping()
        return (next, lines)
    }

    /// The items' counts without a withdrawn pledge's lines.
    mutating func removeLines(of pledge: Pledge) {
        for line in pledge.lines where line.status == .active {
            guard let position = itemIndex(sku: line.sku) else { continue }
            items[position].pledgedQuantity -= line.quantity
        }
    }

    /// What one unit of `sku` costs at `price` (a tier's or the final one).
    public func unitPrice(of sku: String, at price: Money) -> Money {
        guard let position = itemIndex(sku: sku) else { return price }
        return Money(minor: price.minor + items[position].priceDelta.minor, currency: price.currency)
    }
}

extension Campaign {
    /// When its order is to be delivered: its own delivery date, else the longest lead time of
    /// its products after the close.
    public func deliveryDate(products: [Product], closedAt: Timestamp) -> Timestamp {
        if let deliveryAt { return max(deliveryAt, closedAt) }
        return products.map { $0.deliveryDate(orderedAt: closedAt) }.max() ?? closedAt.adding(days: PurchaseOrder.defaultLeadDays)
    }
}
