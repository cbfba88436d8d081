/// What of a pledge still stands once some of its lines were refunded (a short supplier
/// answer): every amount owed, credited, refunded or forfeited from then on is for these
/// live units. A pledge without lines, or with none refunded, is live in full.
extension Pledge {
    /// Units of the active lines (all of `quantity` without lines).
    public var liveQuantity: Int64 {
        guard !lines.isEmpty else { return quantity }
        var sum: Int64 = 0
        for line in lines where line.status == .active { sum += line.quantity }
        return sum
    }

    /// The active lines' price differences (all of `priceDeltaMinor` without lines).
    public var livePriceDeltaMinor: Int64 {
        guard !lines.isEmpty else { return priceDeltaMinor }
        var sum: Int64 = 0
        for line in lines where line.status == .active { sum += line.deltaMinor }
        return sum
    }

    /// The deposit the live units hold: a deposit is the same amount for every unit.
    public var liveDeposit: Money {
        let live = liveQuantity
        return live == quantity ? deposit : deposit(forUnits: live)
    }

    /// What `units` of it put down: a deposit is the same amount for every unit.
    func deposit(forUnits units: Int64) -> Money {
        quantity > 0 ? Money(minor: deposit.minor / quantity * units, currency: deposit.currency) : deposit
    }

    /// Units of `sku` the pledge holds: its active lines of it, or, for a pledge without lines,
    /// all it holds (a campaign of one implicit item orders only that item's SKU).
    public func units(of sku: String) -> Int64 {
        lines.isEmpty ? liveQuantity : activeQuantity(of: sku)
    }

    /// Units of `sku` the pledge holds in active lines (none for a pledge without lines).
    public func activeQuantity(of sku: String) -> Int64 {
        var sum: Int64 = 0
        for line in lines where line.status == .active && line.sku == sku { sum += line.quantity }
        return sum
    }

    /// The part made of `lines[indices]`, as a pledge of its own (same id, no lines): the
    /// money rules for a whole pledge (refund its deposit, refund its sale, reverse its
    /// commission) then apply to exactly those lines. `commission` is the part of the
    /// pledge's commission those lines carry.
    public func portion(lines indices: [Int], commission: Money?) -> Pledge {
        var part = self
        var units: Int64 = 0, delta: Int64 = 0
        for index in indices {
            units += lines[index].quantity
            delta += lines[index].deltaMinor
        }
        part.lines = []
        part.quantity = units
        part.priceDeltaMinor = delta
        part.deposit = deposit(forUnits: units)
        part.commission = commission
        return part
    }
}

extension Pledge {
    /// The commission as fixed at confirmation: the live one plus what refunded lines took back.
    public var commissionAtConfirmation: Money? {
        guard let commission else { return nil }
        let reversed = lines.reduce(0) { $0 + $1.commissionReversedMinor }
        return Money(minor: commission.minor + reversed, currency: commission.currency)
    }

    /// The pledge as it stood at `instant`: lines refunded later are active again, with the
    /// commission they took back (an event restored from the row shows it as it was).
    public func asOf(_ instant: Timestamp) -> Pledge {
        guard lines.contains(where: { $0.refundedAt.map { $0 > instant } ?? false }) else { return self }
        var then = self
        for index in then.lines.indices {
            guard let at = then.lines[index].refundedAt, at > instant else { continue }
            if let commission = then.commission {
                then.commission = Money(minor: commission.minor + then.lines[index].commissionReversedMinor, currency: commission.currency)
            }
            then.lines[index].status = .active
            then.lines[index].refundedAt = nil
            then.lines[index].commissionReversedMinor = 0
        }
        return then
    }
}
