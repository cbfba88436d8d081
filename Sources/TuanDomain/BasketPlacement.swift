/// Placing a basket, decided purely from each line's own decision (`PledgePlacement`, against
/// its campaign loaded in the same write transaction): lines are in distinct campaigns, so
/// no line's decision depends on another's.
public enum BasketPlacement {
    /// Idempotency keys of basket pledges live in a scope of their own.
    public static func pledgeScope(_ scope: String) -> String { scope + "/basket" }

    /// Apply `changesets` (one a placed line, in line order); the lines' outcomes say which
    /// were placed and which refused (only in a partial basket).
    public struct Placement: Sendable {
        public var changesets: [Changeset]
        public var lines: [Basket.Line]
    }

    /// All or nothing: the first refused line refuses the basket, naming the line and why.
    /// Partial: the refused lines are reported, the rest placed; with none placed, the first
    /// refusal answers, as nothing was created.
    public static func decide(_ request: BasketRequest, lines decisions: [Result<PledgePlacement.Decision, DomainError>])
        throws(DomainError) -> Placement {
        precondition(decisions.count == request.lines.count, "one decision a line")
        var changesets: [Changeset] = [], lines: [Basket.Line] = []
        var firstRefusal: (Int, DomainError)?
        for (index, decision) in decisions.enumerated() {
            let line = request.lines[index]
            switch decision {
            case .success(.place(var changeset, _)):
                // One basket, one event: its pledges are told of in `basket.created`.
                changeset.announcesNewPledge = false
                changesets.append(changeset)
                lines.append(Basket.Line(campaignID: line.campaignID, quantity: line.quantity, outcome: .placed(changeset.newPledge!.pledge)))
            case .success(.replay):
                preconditionFailure("a basket's pledges are replayed with the basket, never line by line")
            case .failure(let refusal):
                let named = DomainError(refusal.code, field: "lines[\(index)]" + (refusal.field.map { ".\($0.replacingPrefix("lines[", with: "items["))" } ?? ""),
                                        "campaign \(line.campaignID): \(refusal.message)", reason: refusal.reason)
                if firstRefusal == nil { firstRefusal = (index, named) }
                guard request.partial else { throw named }
                lines.append(Basket.Line(campaignID: line.campaignID, quantity: line.quantity, outcome: .refused(named)))
            }
        }
        if changesets.isEmpty, let (_, refusal) = firstRefusal { throw refusal }
        return Placement(changesets: changesets, lines: lines)
    }
}
